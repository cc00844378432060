using Berth.Build.Parser;
using Berth.Core;

namespace Berth.Build.Tests.Parser;

public class DockerfileParserTests
{
    private static string Dump(string text) => DockerfileParser.Parse(text).Dump();

    [Fact]
    public void DirectivesAreRecordedAndCaseInsensitive()
    {
        var ast = DockerfileParser.Parse("# SYNTAX=docker/dockerfile:1\n# Escape = `\n# check=skip=all\nFROM a\n");
        Assert.Equal('`', ast.EscapeToken);
        Assert.Equal(["syntax", "escape", "check"], ast.Directives.Select(d => d.Name));
        Assert.Equal("docker/dockerfile:1", ast.Directives[0].Value);
        Assert.Equal("skip=all", ast.Directives[2].Value);
    }

    [Fact]
    public void DirectiveAfterCommentOrInstructionIsAComment()
    {
        var ast = DockerfileParser.Parse("# hello\n# escape=`\nFROM a \\\n  b\n");
        Assert.Equal('\\', ast.EscapeToken);
        Assert.Empty(ast.Directives);
        Assert.Equal("(from \"a\" \"b\")\n", ast.Dump());
    }

    [Fact]
    public void DuplicateDirectiveFailsNamingLine()
    {
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("# escape=`\n# escape=\\\nFROM a\n"));
        Assert.Equal("Dockerfile:2:1: only one escape parser directive can be used", e.Message);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void InvalidEscapeTokenFails()
    {
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("# escape=x\nFROM a\n"));
        Assert.Contains("invalid escape token 'x'", e.Message);
    }

    [Fact]
    public void BacktickEscapeContinuesLines()
    {
        Assert.Equal("(from \"a\")\n(run \"echo C:\\\\dir   done\")\n",
            Dump("# escape=`\nFROM a\nRUN echo C:\\dir `\n  done\n"));
    }

    [Fact]
    public void CommentsAndEmptyLinesInsideContinuationAreSkippedWithWarning()
    {
        var ast = DockerfileParser.Parse("FROM a\nRUN echo 1 \\\n# note\n\n  && echo 2\n");
        Assert.Equal("(from \"a\")\n(run \"echo 1   && echo 2\")\n", ast.Dump());
        var w = Assert.Single(ast.Warnings);
        Assert.StartsWith("Empty continuation line found in: RUN echo 1", w.Short);
        Assert.Equal(2, ast.Instructions[1].StartLine);
        Assert.Equal(5, ast.Instructions[1].EndLine);
    }

    [Fact]
    public void JsonFormFallsBackToShellFormWhenInvalid()
    {
        Assert.Equal("(cmd \"a\" \"b\")\n", Dump("CMD [\"a\", \"b\"]"));
        Assert.Equal("(cmd \"['a']\")\n", Dump("CMD ['a']"));
        Assert.Equal("(cmd \"[\\\"a\\\"] x\")\n", Dump("CMD [\"a\"] x"));
        Assert.True(DockerfileParser.Parse("CMD [\"a\"]").Instructions[0].IsJson);
        Assert.False(DockerfileParser.Parse("CMD [\"a\" x").Instructions[0].IsJson);
    }

    [Fact]
    public void JsonWithNonStringsFails()
    {
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("FROM a\nCMD [\"a\", 1]\n"));
        Assert.Equal("Dockerfile:2:1: when using JSON array syntax, arrays must be comprised of strings only", e.Message);
    }

    [Fact]
    public void UnknownInstructionParsesButHasNoArguments()
    {
        Assert.Equal("(from \"a\")\n(foobar \"\")\n", Dump("FROM a\nFOOBAR x y\n"));
    }

    [Fact]
    public void OnbuildWrapsTheTrigger()
    {
        Assert.Equal("(onbuild (copy [\"--from=b\"] \"x\" \"/y\"))\n", Dump("ONBUILD COPY --from=b x /y"));
    }

    [Fact]
    public void FlagsKeepQuotesRemovedAndStopAtDoubleDash()
    {
        Assert.Equal("(run [\"--mount=type=cache,target=/a b\"] \"echo\")\n", Dump("RUN --mount=\"type=cache,target=/a b\" echo"));
        Assert.Equal("(copy [\"--chown=1\"] \"--x\" \"/d\")\n", Dump("COPY --chown=1 -- --x /d"));
    }

    [Fact]
    public void NonPrintableCharactersAreQuotedLikeGo()
    {
        Assert.Equal("(label \"a\" \"x\\u200by\\x01é\" \"=\")\n", Dump("LABEL a=x\u200by\u0001é"));
        // U+00A0 is white space to Go, so it separates words.
        Assert.Equal("(label \"a\" \"b\" \"=\" \"c\" \"d\" \"=\")\n", Dump("LABEL a=b\u00a0c=d"));
    }

    [Fact]
    public void EmptyFileFails()
    {
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("\n# only a comment\n"));
        Assert.EndsWith("file with no instructions", e.Message);
    }

    [Fact]
    public void CustomFileNameAppearsInErrors()
    {
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("FROM a\n\nENV PATH\n", "build/Containerfile"));
        Assert.Equal("build/Containerfile:3:1: ENV must have two arguments", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void ByteOrderMarkAndCrLfAreIgnored()
    {
        Assert.Equal("(from \"a\")\n(run \"b c\")\n", Dump("\uFEFFFROM a\r\nRUN b \\\r\nc\r\n"));
    }

    [Fact]
    public void DumpPrintsTheCorpusFormat()
    {
        Assert.Equal("(from \"a\")\n", DockerfileDump.Print("FROM a"));
    }

    [Fact]
    public void LinesLongerThanBuildKitsBufferFail()
    {
        string longLine = "RUN echo " + new string('x', 70_000);
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("FROM a\n" + longLine + "\n"));
        Assert.Equal("Dockerfile:2:1: dockerfile line greater than max allowed size of 65535", e.Message);
        Assert.Equal(2, DockerfileParser.Parse("FROM a\nRUN " + new string('y', 60_000) + "\n").Instructions.Count);
    }

    [Fact]
    public void LineNumbersSpanContinuationsBlanksAndComments()
    {
        const string text = "# escape=\\\n\n\nFROM img\n\n# comment\nENV A \\\n  b\n\n\nRUN one \\\n\t&& two \\\n\n  # inner comment\n  && three\n\n";
        var ast = DockerfileParser.Parse(text);
        Assert.Equal([(4, 4), (7, 8), (11, 15)], ast.Instructions.Select(n => (n.StartLine, n.EndLine)));
        Assert.Equal((4, 15), (ast.Root.StartLine, ast.Root.EndLine));
        Assert.Equal(["comment"], ast.Instructions[1].PrevComment);
        Assert.Equal("RUN one \t&& two   && three", ast.Instructions[2].Original);
    }

    [Fact]
    public void EveryEmptyContinuationWarnsOncePerInstruction()
    {
        var ast = DockerfileParser.Parse("FROM a\nRUN x \\\n\n  y \\\n\n  z\nRUN ok \\\n  fine\nRUN p \\\n\n  q\n");
        Assert.Equal(["Empty continuation line found in: RUN x   y   z", "Empty continuation line found in: RUN p   q"],
            ast.Warnings.Select(w => w.Short));
    }

    [Fact]
    public void PrintFileNamesAMissingPath()
    {
        string path = Path.Combine(Path.GetTempPath(), "berth-build-missing-" + Guid.NewGuid().ToString("N"), "Dockerfile");
        var e = Assert.Throws<BerthException>(() => DockerfileDump.PrintFile(path));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void PrintFileUsesTheFileNameInErrors()
    {
        string dir = Directory.CreateTempSubdirectory("berth-build-dump-").FullName;
        try
        {
            string path = Path.Combine(dir, "Containerfile");
            File.WriteAllText(path, "FROM a\nCMD [1]\n");
            var e = Assert.Throws<DockerfileParseException>(() => DockerfileDump.PrintFile(path));
            Assert.StartsWith("Containerfile:2:1: ", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
