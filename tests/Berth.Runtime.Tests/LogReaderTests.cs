using System.Buffers;
using System.Text;
using Berth.Runtime.Logging;

namespace Berth.Runtime.Tests;

public class LogReaderTests
{
    private const long T0 = 1764428645_000000000L;

    private static void WriteEntries(string path, params (byte Stream, string Text, long Nanos)[] entries)
    {
        var buf = new ArrayBufferWriter<byte>();
        foreach (var (stream, text, nanos) in entries)
            JsonLogLine.Append(buf, Encoding.UTF8.GetBytes(text), stream, nanos);
        File.WriteAllBytes(path, buf.WrittenSpan.ToArray());
    }

    private static async Task<string> ReadRaw(string path, LogReadOptions options, Func<bool>? running = null)
    {
        var ms = new MemoryStream();
        await JsonFileLogReader.ReadAsync(path, options, ms, multiplexed: false, running ?? (() => false), CancellationToken.None);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    [Fact]
    public async Task ReadsRotatedFilesOldestFirstAndFiltersStreams()
    {
        using var dir = new LogTestDir();
        WriteEntries(dir.LogPath + ".2", (1, "a\n", T0), (2, "err1\n", T0 + 1));
        WriteEntries(dir.LogPath + ".1", (1, "b\n", T0 + 2));
        WriteEntries(dir.LogPath, (1, "c\n", T0 + 3), (2, "err2\n", T0 + 4));
        Assert.Equal("a\nerr1\nb\nc\nerr2\n", await ReadRaw(dir.LogPath, new LogReadOptions()));
        Assert.Equal("a\nb\nc\n", await ReadRaw(dir.LogPath, new LogReadOptions { Stderr = false }));
        Assert.Equal("err1\nerr2\n", await ReadRaw(dir.LogPath, new LogReadOptions { Stdout = false }));
    }

    [Fact]
    public async Task TailCountsFromTheEndAcrossFiles()
    {
        using var dir = new LogTestDir();
        WriteEntries(dir.LogPath + ".1", (1, "1\n", T0), (1, "2\n", T0 + 1), (1, "3\n", T0 + 2));
        WriteEntries(dir.LogPath, (1, "4\n", T0 + 3));
        Assert.Equal("2\n3\n4\n", await ReadRaw(dir.LogPath, new LogReadOptions { Tail = 3 }));
        Assert.Equal("", await ReadRaw(dir.LogPath, new LogReadOptions { Tail = 0 }));
        Assert.Equal("1\n2\n3\n4\n", await ReadRaw(dir.LogPath, new LogReadOptions { Tail = 100 }));
        Assert.Equal("1\n2\n3\n4\n", await ReadRaw(dir.LogPath, new LogReadOptions { Tail = -1 }));
    }

    [Fact]
    public async Task SinceAndUntilAreInclusive()
    {
        using var dir = new LogTestDir();
        long s = 1_000_000_000;
        WriteEntries(dir.LogPath, (1, "1\n", T0), (1, "2\n", T0 + s), (1, "3\n", T0 + 2 * s), (1, "4\n", T0 + 3 * s));
        var options = new LogReadOptions { Since = LogTime.FromNanos(T0 + s), Until = LogTime.FromNanos(T0 + 2 * s) };
        Assert.Equal("2\n3\n", await ReadRaw(dir.LogPath, options));
    }

    [Fact]
    public async Task TimestampsAndMultiplexedFraming()
    {
        using var dir = new LogTestDir();
        WriteEntries(dir.LogPath, (1, "out\n", T0 + 120_000_000), (2, "err\n", T0));
        var ms = new MemoryStream();
        await JsonFileLogReader.ReadAsync(dir.LogPath, new LogReadOptions { Timestamps = true }, ms, multiplexed: true, () => false, CancellationToken.None);
        ms.Position = 0;
        var f1 = await MultiplexedFrame.ReadFrameAsync(ms);
        var f2 = await MultiplexedFrame.ReadFrameAsync(ms);
        Assert.Null(await MultiplexedFrame.ReadFrameAsync(ms));
        Assert.Equal(1, f1!.Value.Stream);
        Assert.Equal("2025-11-29T15:04:05.120000000Z out\n", Encoding.UTF8.GetString(f1.Value.Payload));
        Assert.Equal(2, f2!.Value.Stream);
        Assert.Equal("2025-11-29T15:04:05.000000000Z err\n", Encoding.UTF8.GetString(f2.Value.Payload));
        var bytes = ms.ToArray();
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 35 }, bytes[..8]);
    }

    [Fact]
    public async Task SkipsLinesThatAreNotEntries()
    {
        using var dir = new LogTestDir();
        WriteEntries(dir.LogPath, (1, "ok\n", T0));
        File.AppendAllText(dir.LogPath, "not json\n{\"log\":\"no time\"}\n");
        Assert.Equal("ok\n", await ReadRaw(dir.LogPath, new LogReadOptions()));
    }

    [Fact]
    public async Task FollowPicksUpAppendedLinesAndRotationAndEndsAfterExit()
    {
        using var dir = new LogTestDir();
        var writer = new JsonFileLogWriter(dir.LogPath, 400, 3);
        writer.Write(1, "before\n"u8);
        bool running = true;
        var output = new MemoryStream();
        var sync = new SynchronizedStream(output);
        var reader = JsonFileLogReader.ReadAsync(dir.LogPath, new LogReadOptions { Follow = true }, sync, false, () => Volatile.Read(ref running), CancellationToken.None);
        await WaitFor(() => sync.Text.Contains("before\n"));
        // One line at a time: the follower must see each before the file holding it rotates out of the kept set.
        for (int i = 0; i < 30; i++)
        {
            writer.Write(1, Encoding.ASCII.GetBytes($"line {i}\n"));
            await WaitFor(() => sync.Text.Contains($"line {i}\n"));
        }
        Assert.True(File.Exists(dir.LogPath + ".2"));
        writer.Write(2, "last\n"u8);
        writer.Dispose();
        Volatile.Write(ref running, false);
        await reader;
        var expected = "before\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"line {i}\n")) + "last\n";
        Assert.Equal(expected, sync.Text);
    }

    [Fact]
    public async Task FollowStopsWhenCancelled()
    {
        using var dir = new LogTestDir();
        WriteEntries(dir.LogPath, (1, "x\n", T0));
        using var cts = new CancellationTokenSource();
        var task = JsonFileLogReader.ReadAsync(dir.LogPath, new LogReadOptions { Follow = true }, new MemoryStream(), false, () => true, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 600 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition());
    }

    /// <summary>Lets the test read what the follower wrote so far.</summary>
    private sealed class SynchronizedStream(MemoryStream inner) : Stream
    {
        public string Text
        {
            get
            {
                lock (inner)
                    return Encoding.UTF8.GetString(inner.ToArray());
            }
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (inner)
                inner.Write(buffer, offset, count);
        }
    }
}
