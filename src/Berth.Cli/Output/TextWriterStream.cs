using System.Text;

namespace Berth.Cli.Output;

/// <summary>A write-only stream over a TextWriter, so byte output (logs, attach) reaches writers that are not console streams.</summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
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
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
