using System.Globalization;
using System.Text;

namespace Berth.Client.Http;

/// <summary>Builds a URL query string; parameters with no value are left out as the Docker CLI does.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _sb = new();

    public QueryString Add(string name, string? value)
    {
        if (value == null) return this;
        _sb.Append(_sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryString Add(string name, long? value) =>
        value == null ? this : Add(name, value.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds name=1 when flag is set (Docker reads 1/true alike).</summary>
    public QueryString Flag(string name, bool flag) => flag ? Add(name, "1") : this;

    public QueryString Bool(string name, bool value) => Add(name, value ? "1" : "0");

    public override string ToString() => _sb.ToString();

    /// <summary>Escapes a path segment but keeps '/', ':' and '@', which image references contain and Docker sends raw.</summary>
    public static string Segment(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '/' or ':' or '@' or '.' or '-' or '_' or '~') sb.Append(c);
            else sb.Append(Uri.EscapeDataString(c.ToString()));
        }
        return sb.ToString();
    }
}
