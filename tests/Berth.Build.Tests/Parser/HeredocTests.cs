using Berth.Build.Parser;

namespace Berth.Build.Tests.Parser;

public class HeredocTests
{
    [Fact]
    public void RunHeredocConsumesLinesUntilDelimiter()
    {
        var ast = DockerfileParser.Parse("FROM a\nRUN <<EOF\necho hi\necho $HOME\nEOF\nUSER x\n");
        Assert.Equal("(from \"a\")\n(run \"<<EOF\")\n(user \"x\")\n", ast.Dump());
        var run = ast.Instructions[1];
        var h = Assert.Single(run.Heredocs);
        Assert.Equal(new Heredoc("EOF", 0, true, false, "echo hi\necho $HOME\n"), h);
        Assert.Equal((2, 5), (run.StartLine, run.EndLine));
    }

    [Fact]
    public void DashStripsTabsFromDelimiterAndContent()
    {
        var ast = DockerfileParser.Parse("FROM a\nRUN <<-EOT\n\techo a\n\t\techo b\n\tEOT\n");
        var h = Assert.Single(ast.Instructions[1].Heredocs);
        Assert.True(h.Chomp);
        Assert.Equal("\techo a\n\t\techo b\n", h.Content);
        Assert.Equal("echo a\necho b\n", h.EffectiveContent);
    }

    [Theory]
    [InlineData("<<'EOF'", "EOF", false)]
    [InlineData("<<\"EOF\"", "EOF", false)]
    [InlineData("<<E'O'F", "EOF", false)]
    [InlineData("<<EOF", "EOF", true)]
    [InlineData("<<  EOF", "EOF", true)]
    public void QuotedDelimiterDisablesExpansion(string marker, string name, bool expand)
    {
        var ast = DockerfileParser.Parse($"FROM a\nRUN cat {marker}\nx\n{name}\n");
        var h = Assert.Single(ast.Instructions[1].Heredocs);
        Assert.Equal(name, h.Name);
        Assert.Equal(expand, h.Expand);
    }

    [Fact]
    public void SeveralHeredocsAndFileDescriptors()
    {
        var ast = DockerfileParser.Parse("FROM a\nCOPY <<one 3<<two /dest/\n1\none\n2\ntwo\n");
        var docs = ast.Instructions[1].Heredocs;
        Assert.Equal(["one", "two"], docs.Select(d => d.Name));
        Assert.Equal([0, 3], docs.Select(d => d.FileDescriptor));
        Assert.Equal(["1\n", "2\n"], docs.Select(d => d.Content));
    }

    [Fact]
    public void OnlyRunCopyAddAndOnbuildTriggersTakeHeredocs()
    {
        var ast = DockerfileParser.Parse("FROM a\nUSER <<EOF\nRUN [\"<<EOF\"]\nONBUILD RUN <<X\nhi\nX\n");
        Assert.Empty(ast.Instructions[1].Heredocs);
        Assert.Empty(ast.Instructions[2].Heredocs);
        Assert.Equal("hi\n", Assert.Single(ast.Instructions[3].Heredocs).Content);
    }

    [Fact]
    public void QuotedMarkerIsNotAHeredoc()
    {
        var ast = DockerfileParser.Parse("FROM a\nRUN echo \"<<EOF\"\nUSER b\n");
        Assert.Empty(ast.Instructions[1].Heredocs);
        Assert.Equal(3, ast.Instructions.Count);
    }

    [Fact]
    public void UnterminatedHeredocFails()
    {
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("FROM a\nRUN <<EOF\necho\n"));
        Assert.Equal("Dockerfile:2:1: unterminated heredoc", e.Message);
    }

    [Theory]
    [InlineData("RUN <<eo\\'f", "eo'f", true)]
    [InlineData("RUN <<'e'o\\'f", "eo'f", false)]
    [InlineData("RUN <<'two words'", "two words", false)]
    [InlineData("RUN <<$EOF", "$EOF", true)]
    [InlineData("RUN <<  END  > out.txt", "END", true)]
    [InlineData("RUN --mount=type=cache,target=/c <<M python3", "M", true)]
    public void DelimiterSpellings(string instruction, string name, bool expand)
    {
        var ast = DockerfileParser.Parse($"FROM a\n{instruction}\nbody $X\n{name}\nUSER u\n");
        var h = Assert.Single(ast.Instructions[1].Heredocs);
        Assert.Equal((name, expand, "body $X\n"), (h.Name, h.Expand, h.Content));
        Assert.Equal(3, ast.Instructions.Count);
    }

    [Fact]
    public void ContentKeepsCommentsAndDelimiterLookalikes()
    {
        var ast = DockerfileParser.Parse("FROM a\nCOPY <<X <<Y /d\nY\n# c\nX\nX\nY\n");
        var docs = ast.Instructions[1].Heredocs;
        Assert.Equal(["Y\n# c\n", "X\n"], docs.Select(d => d.Content));
    }
}
