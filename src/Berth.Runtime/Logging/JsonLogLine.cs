using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Logging;

/// <summary>Encodes and decodes one line of Docker's json-file log: {"log":"…","stream":"stdout","time":"…"}.</summary>
internal static class JsonLogLine
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Appends one line (with its trailing newline) for <paramref name="text"/> read at <paramref name="nanos"/>.</summary>
    public static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> text, byte stream, long nanos)
    {
        Write(buffer, "{\"log\":"u8);
        AppendString(buffer, text);
        Write(buffer, stream == MultiplexedFrame.Stderr ? ",\"stream\":\"stderr\",\"time\":\""u8 : ",\"stream\":\"stdout\",\"time\":\""u8);
        Write(buffer, Encoding.ASCII.GetBytes(LogTime.FormatRfc3339Nano(nanos)));
        Write(buffer, "\"}\n"u8);
    }

    /// <summary>Writes bytes as a JSON string escaped like Docker's json-file encoder: HTML-safe, invalid UTF-8 → U+FFFD, U+2028/9 escaped.</summary>
    private static void AppendString(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> s)
    {
        // Worst case every byte becomes \u00XX (6 bytes).
        var dst = buffer.GetSpan(s.Length * 6 + 2);
        int o = 0;
        dst[o++] = (byte)'"';
        int i = 0;
        while (i < s.Length)
        {
            byte b = s[i];
            if (b < 0x80)
            {
                if (b >= 0x20 && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&')
                {
                    dst[o++] = b;
                }
                else if (b == '\\' || b == '"')
                {
                    dst[o++] = (byte)'\\';
                    dst[o++] = b;
                }
                else if (b == '\n')
                {
                    dst[o++] = (byte)'\\';
                    dst[o++] = (byte)'n';
                }
                else if (b == '\r')
                {
                    dst[o++] = (byte)'\\';
                    dst[o++] = (byte)'r';
                }
                else
                {
                    "\\u00"u8.CopyTo(dst[o..]);
                    o += 4;
                    dst[o++] = Hex[b >> 4];
                    dst[o++] = Hex[b & 0xF];
                }
                i++;
                continue;
            }
            var status = Rune.DecodeFromUtf8(s[i..], out var rune, out int size);
            if (status != OperationStatus.Done)
            {
                // One replacement per invalid byte, as Go's utf8.DecodeRune reports them.
                "\\ufffd"u8.CopyTo(dst[o..]);
                o += 6;
                i++;
                continue;
            }
            if (rune.Value == 0x2028 || rune.Value == 0x2029)
            {
                "\\u202"u8.CopyTo(dst[o..]);
                o += 5;
                dst[o++] = Hex[rune.Value & 0xF];
            }
            else
            {
                s.Slice(i, size).CopyTo(dst[o..]);
                o += size;
            }
            i += size;
        }
        dst[o++] = (byte)'"';
        buffer.Advance(o);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    /// <summary>Parses one line (without its newline); false when it is not a json-file entry.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out byte stream, out byte[] text, out long nanos)
    {
        stream = MultiplexedFrame.Stdout;
        text = [];
        nanos = 0;
        bool haveTime = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("log"u8))
                {
                    reader.Read();
                    var tmp = new byte[reader.ValueSpan.Length];
                    int n = reader.CopyString(tmp);
                    text = n == tmp.Length ? tmp : tmp[..n];
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = reader.ValueTextEquals("stderr"u8) ? MultiplexedFrame.Stderr : MultiplexedFrame.Stdout;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    haveTime = LogTime.TryParse(reader.GetString(), out nanos);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return haveTime;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
