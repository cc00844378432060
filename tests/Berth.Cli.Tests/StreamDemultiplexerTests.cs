using System.Text;
using Berth.Client;

namespace Berth.Cli.Tests;

public class StreamDemultiplexerTests
{
    [Fact]
    public async Task Splits_frames_into_stdout_and_stderr()
    {
        var input = new MemoryStream();
        input.Write(StreamDemultiplexer.Frame(1, "out1\n"u8));
        input.Write(StreamDemultiplexer.Frame(2, "err\n"u8));
        input.Write(StreamDemultiplexer.Frame(1, "out2\n"u8));
        input.Write(StreamDemultiplexer.Frame(1, ReadOnlySpan<byte>.Empty));
        input.Position = 0;
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        long n = await StreamDemultiplexer.CopyAsync(new OneByteStream(input), stdout, stderr);
        Assert.Equal("out1\nout2\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("err\n", Encoding.UTF8.GetString(stderr.ToArray()));
        Assert.Equal(14, n);
    }

    [Fact]
    public async Task Truncated_header_is_an_error()
    {
        var input = new MemoryStream(new byte[] { 1, 0, 0 });
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => StreamDemultiplexer.CopyAsync(input, Stream.Null, Stream.Null));
        Assert.Contains("3 of 8", e.Message);
    }

    [Fact]
    public async Task Unknown_stream_type_is_an_error()
    {
        var input = new MemoryStream(StreamDemultiplexer.Frame(7, "x"u8));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => StreamDemultiplexer.CopyAsync(input, Stream.Null, Stream.Null));
        Assert.Contains("7", e.Message);
    }

    /// <summary>Returns one byte per read, to exercise frames split across reads.</summary>
    private sealed class OneByteStream(Stream inner) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(1, count));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer[..Math.Min(1, buffer.Length)], ct);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
