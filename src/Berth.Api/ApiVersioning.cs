using System.Text.RegularExpressions;
using Berth.Core;

namespace Berth.Api;

/// <summary>Strips the <c>/vX.Y</c> prefix from request paths and enforces the supported API version range.</summary>
public static partial class ApiVersioning
{
    public const string Max = "1.50";
    public const string Min = "1.24";
    private const string ItemKey = "berth.apiVersion";

    public static Version Requested(HttpContext ctx) => ctx.Items[ItemKey] as Version ?? Version.Parse(Max);

    public static Task Handle(HttpContext ctx, Func<Task> next)
    {
        string path = ctx.Request.Path.Value ?? "/";
        var m = Prefix().Match(path);
        if (m.Success)
        {
            var v = Version.Parse(m.Groups[1].Value);
            if (v > Version.Parse(Max))
                throw BerthException.Invalid($"client version {m.Groups[1].Value} is too new. Maximum supported API version is {Max}");
            if (v < Version.Parse(Min))
                throw BerthException.Invalid($"client version {m.Groups[1].Value} is too old. Minimum supported API version is {Min}, please upgrade your client to a newer version");
            ctx.Items[ItemKey] = v;
            ctx.Request.Path = m.Groups[2].Value.Length == 0 ? "/" : m.Groups[2].Value;
        }
        var h = ctx.Response.Headers;
        h["Api-Version"] = Max;
        h["Docker-Experimental"] = "false";
        h["Ostype"] = "linux";
        h["Server"] = $"Berth/{EngineVersion.Version} (linux)";
        return next();
    }

    [GeneratedRegex(@"^/v(\d+\.\d+)(/.*)?$")]
    private static partial Regex Prefix();
}
