using System.Text;
using System.Text.RegularExpressions;
using Berth.Core;
using Berth.Runtime.Logging;

namespace Berth.Runtime.Tests;

public class LogWriterTests
{
    private static readonly Regex TimeField = new("\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z\"");

    private static string[] Lines(string path) =>
        File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => TimeField.Replace(l, "\"time\":\"T\"")).ToArray();

    [Fact]
    public void WritesDockerJsonFileLinesByteExact()
    {
        using var dir = new LogTestDir();
        using (var w = new JsonFileLogWriter(dir.LogPath, 0, 1))
        {
            w.Write(1, "hello\nwor"u8);
            w.Write(2, "e<r>&\"\\\t\r\n"u8);
            w.Write(1, "ld\n"u8);
            w.Write(1, "\u2028x\n"u8);
            w.Write(2, new byte[] { 0xff, (byte)'\n' });
            w.Write(1, new byte[] { 0xe2, 0x82, (byte)'A', 0xe2, 0x82, 0xac, (byte)'\n' });
        }
        Assert.Equal(new[]
        {
            """{"log":"hello\n","stream":"stdout","time":"T"}""",
            """{"log":"e\u003cr\u003e\u0026\"\\\u0009\r\n","stream":"stderr","time":"T"}""",
            """{"log":"world\n","stream":"stdout","time":"T"}""",
            """{"log":"\u2028x\n","stream":"stdout","time":"T"}""",
            """{"log":"\ufffd\n","stream":"stderr","time":"T"}""",
            """{"log":"\ufffd\ufffdA€\n","stream":"stdout","time":"T"}""",
        }, Lines(dir.LogPath));
    }

    [Fact]
    public void LongLinesAreSplitIntoPartialEntriesAndTrailingTextIsFlushedOnClose()
    {
        using var dir = new LogTestDir();
        using (var w = new JsonFileLogWriter(dir.LogPath, 0, 1))
        {
            w.Write(1, Encoding.ASCII.GetBytes(new string('a', 20000)));
            w.Write(1, "\nend"u8);
        }
        var lines = Lines(dir.LogPath);
        Assert.Equal(3, lines.Length);
        Assert.Equal("{\"log\":\"" + new string('a', 16384) + "\",\"stream\":\"stdout\",\"time\":\"T\"}", lines[0]);
        Assert.Equal("{\"log\":\"" + new string('a', 20000 - 16384) + "\\n\",\"stream\":\"stdout\",\"time\":\"T\"}", lines[1]);
        Assert.Equal("{\"log\":\"end\",\"stream\":\"stdout\",\"time\":\"T\"}", lines[2]);
    }

    [Fact]
    public void RotatesBySizeKeepingMaxFiles()
    {
        using var dir = new LogTestDir();
        using (var w = new JsonFileLogWriter(dir.LogPath, 300, 3))
        {
            for (int i = 0; i < 40; i++)
                w.Write(1, Encoding.ASCII.GetBytes($"line {i}\n"));
        }
        Assert.True(File.Exists(dir.LogPath + ".1"));
        Assert.True(File.Exists(dir.LogPath + ".2"));
        Assert.False(File.Exists(dir.LogPath + ".3"));
        foreach (var f in new[] { dir.LogPath, dir.LogPath + ".1", dir.LogPath + ".2" })
            Assert.InRange(new FileInfo(f).Length, 1, 300);
        Assert.EndsWith("line 39\\n\",\"stream\":\"stdout\",\"time\":\"T\"}", Lines(dir.LogPath)[^1]);
    }

    [Fact]
    public void MaxFilesOneTruncatesInPlace()
    {
        using var dir = new LogTestDir();
        using (var w = new JsonFileLogWriter(dir.LogPath, 200, 1))
        {
            for (int i = 0; i < 20; i++)
                w.Write(1, Encoding.ASCII.GetBytes($"line {i}\n"));
        }
        Assert.False(File.Exists(dir.LogPath + ".1"));
        Assert.InRange(new FileInfo(dir.LogPath).Length, 1, 200);
    }

    [Fact]
    public void RejectsBadMaxFilesAndStream()
    {
        using var dir = new LogTestDir();
        var e = Assert.Throws<BerthException>(() => new JsonFileLogWriter(dir.LogPath, 10, 0));
        Assert.Contains("0", e.Message);
        using var w = new JsonFileLogWriter(dir.LogPath, 0, 1);
        var e2 = Assert.Throws<BerthException>(() => w.Write(3, "x"u8));
        Assert.Contains("3", e2.Message);
    }

    [Theory]
    [InlineData(1764428645123456789L, "2025-11-29T15:04:05.123456789Z", "2025-11-29T15:04:05.123456789Z")]
    [InlineData(1764428645120000000L, "2025-11-29T15:04:05.12Z", "2025-11-29T15:04:05.120000000Z")]
    [InlineData(1764428645000000000L, "2025-11-29T15:04:05Z", "2025-11-29T15:04:05.000000000Z")]
    public void FormatsAndParsesTimes(long nanos, string nano, string fixedNano)
    {
        Assert.Equal(nano, LogTime.FormatRfc3339Nano(nanos));
        Assert.Equal(fixedNano, LogTime.FormatRfc3339NanoFixed(nanos));
        Assert.True(LogTime.TryParse(nano, out long back));
        Assert.Equal(nanos, back);
        Assert.True(LogTime.TryParse("2025-11-29T17:04:05.12+02:00", out long offset));
        Assert.Equal(1764428645120000000L, offset);
        Assert.False(LogTime.TryParse("yesterday", out _));
    }
}
