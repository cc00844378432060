using System.Text;

namespace Berth.Cli.Output;

/// <summary>A write-only stream over a TextWriter, so byte output (logs, attach) reaches writers that are not console streams.</summary>
internal sealed class TextWriterStream(TextWriter writer) : WriteOnlyStream
{
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    /// <summary>The byte stream under a console StreamWriter (flushed first), or an adapter over any other writer.</summary>
    public static Stream For(TextWriter writer)
    {
        writer.Flush();
        return writer is StreamWriter sw ? sw.BaseStream : new TextWriterStream(writer);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        var chars = new char[_decoder.GetCharCount(buffer, offset, count)];
        int n = _decoder.GetChars(buffer, offset, count, chars, 0);
        writer.Write(chars, 0, n);
    }

    public override void Flush() => writer.Flush();
}
