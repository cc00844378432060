using Berth.Build.Shell;
using Berth.Core;

namespace Berth.Build.Tests.Shell;

public class ShellLexTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["FILE"] = "archive.tar.gz",
        ["PATHV"] = "/usr/local/bin:/usr/bin",
        ["EMPTY"] = "",
    };

    [Theory]
    [InlineData("${FILE#*.}", "tar.gz")]
    [InlineData("${FILE##*.}", "gz")]
    [InlineData("${FILE%.*}", "archive.tar")]
    [InlineData("${FILE%%.*}", "archive")]
    [InlineData("${FILE/tar/zip}", "archive.zip.gz")]
    [InlineData("${PATHV//\\/usr/X}", "X/local/bin:X/bin")]
    [InlineData("${FILE#nomatch}", "archive.tar.gz")]
    [InlineData("${MISSING-default}", "default")]
    [InlineData("${EMPTY-default}", "")]
    [InlineData("${EMPTY:-default}", "default")]
    [InlineData("${EMPTY+set}", "set")]
    [InlineData("${EMPTY:+set}", "")]
    public void PatternAndDefaultOperators(string word, string expected)
        => Assert.Equal(expected, new ShellLex().ProcessWord(word, Env));

    [Fact]
    public void ErrorMessageNamesVariableAndWord()
    {
        var e = Assert.Throws<BerthException>(() => new ShellLex().ProcessWord("${NOPE:?must be set}", Env));
        Assert.Equal("failed to process \"${NOPE:?must be set}\": NOPE: must be set", e.Message);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void BacktickEscape()
    {
        var lex = new ShellLex('`');
        Assert.Equal("a$FILE\\b", lex.ProcessWord("a`$FILE\\b", Env));
    }

    [Fact]
    public void SkipUnsetEnvKeepsReferences()
    {
        var lex = new ShellLex { SkipUnsetEnv = true };
        Assert.Equal("$X ${Y} ${Z:-a} archive.tar.gz", lex.ProcessWord("$X ${Y} ${Z:-a} $FILE", Env));
    }

    [Fact]
    public void MatchesReportUsedAndMissingNames()
    {
        var r = new ShellLex().ProcessWordWithMatches("$FILE $NOPE", Env);
        Assert.Equal(["FILE"], r.Matched);
        Assert.Equal(["NOPE"], r.Unmatched);
    }

    [Fact]
    public void InvalidEscapeTokenIsRejected()
        => Assert.Throws<BerthException>(() => new ShellLex('x'));
}
