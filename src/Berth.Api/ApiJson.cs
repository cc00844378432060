using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Core;

namespace Berth.Api;

/// <summary>Reads and writes JSON bodies with source-generated metadata only.</summary>
public static class ApiJson
{
    public static async Task Write<T>(HttpContext ctx, T value, JsonTypeInfo<T> type, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(ctx.Response.Body, value, type, ctx.RequestAborted);
    }

    public static async Task WriteError(HttpContext ctx, string message)
    {
        ctx.Response.ContentType = "application/json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        }
        await ctx.Response.Body.WriteAsync(buffer.WrittenMemory);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray());
    }

    /// <summary>Reads a JSON body; an empty body gives <paramref name="empty"/>, malformed JSON a 400 naming the problem.</summary>
    public static async Task<T> Read<T>(HttpContext ctx, JsonTypeInfo<T> type, Func<T> empty)
    {
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted);
        if (ms.Length == 0) return empty();
        if (ms.Length > 16 * 1024 * 1024) throw BerthException.Invalid("request body too large");
        ms.Position = 0;
        try
        {
            return JsonSerializer.Deserialize(ms, type) ?? empty();
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"invalid JSON in request body at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {Trim(e.Message)}");
        }
    }

    private static string Trim(string m)
    {
        int i = m.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? m[..i] : m;
    }

    public static bool QueryBool(HttpContext ctx, string name, bool dflt = false)
    {
        string? v = ctx.Request.Query[name];
        if (string.IsNullOrEmpty(v)) return dflt;
        return v is "1" or "true" or "True" or "yes";
    }

    public static int? QueryInt(HttpContext ctx, string name)
    {
        string? v = ctx.Request.Query[name];
        if (string.IsNullOrEmpty(v)) return null;
        return int.TryParse(v, out var i) ? i : throw BerthException.Invalid($"invalid value for {name}: \"{v}\"");
    }

    public static string? Query(HttpContext ctx, string name)
    {
        string? v = ctx.Request.Query[name];
        return string.IsNullOrEmpty(v) ? null : v;
    }
}
