using System.Text;
using Berth.Core;
using Berth.Runtime.Monitor;

namespace Berth.Runtime.Tests;

public class MonitorDetachKeysTests
{
    [Theory]
    [InlineData(null, new byte[] { 16, 17 })]
    [InlineData("", new byte[] { 16, 17 })]
    [InlineData("ctrl-p,ctrl-q", new byte[] { 16, 17 })]
    [InlineData("a,ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_,DEL", new byte[] { 97, 0, 27, 28, 29, 30, 31, 127 })]
    [InlineData("ctrl-z", new byte[] { 26 })]
    public void ParsesDockerSyntax(string? spec, byte[] expected) => Assert.Equal(expected, DetachKeys.Parse(spec));

    [Theory]
    [InlineData("ctrl-1")]
    [InlineData("ctrl-p,,ctrl-q")]
    [InlineData("ab")]
    [InlineData("ctrl-P")]
    public void RejectsUnknownKeysNamingThem(string spec)
    {
        var e = Assert.Throws<BerthException>(() => DetachKeys.Parse(spec));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(spec, e.Message);
    }

    [Fact]
    public void ScannerHoldsPrefixesAcrossChunksAndReleasesBrokenOnes()
    {
        var scanner = new DetachScanner(DetachKeys.Parse("ctrl-p,ctrl-q"));
        var output = new byte[64];
        int n = scanner.Scan("ab\u0010"u8, output, out bool detach);
        Assert.False(detach);
        Assert.Equal("ab", Encoding.ASCII.GetString(output, 0, n));
        n = scanner.Scan("c\u0010"u8, output, out detach);
        Assert.False(detach);
        Assert.Equal("\u0010c", Encoding.ASCII.GetString(output, 0, n));
        n = scanner.Scan("\u0011rest"u8, output, out detach);
        Assert.True(detach);
        Assert.Equal(0, n);
    }

    [Fact]
    public void MultiplexedHeaderIsStreamThreeZerosAndBigEndianLength()
    {
        var header = new byte[8];
        Berth.Runtime.Logging.MultiplexedFrame.WriteHeader(header, 2, 0x01020304);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 1, 2, 3, 4 }, header);
        Assert.True(Berth.Runtime.Logging.MultiplexedFrame.TryReadHeader(header, out byte stream, out int length));
        Assert.Equal(2, stream);
        Assert.Equal(0x01020304, length);
        Assert.False(Berth.Runtime.Logging.MultiplexedFrame.TryReadHeader(new byte[] { 1, 0, 1, 0, 0, 0, 0, 1 }, out _, out _));
    }
}
