using Berth.Build.Parser;

namespace Berth.Build.Tests.Conformance;

/// <summary>BuildKit's parser test folders: each Dockerfile must dump exactly as its result file; negative cases must fail.</summary>
public class ParserCaseTests
{
    public static TheoryData<string> Positive => ConformanceData.Folders("dockerfile-parser", "parser", "testfiles");
    public static TheoryData<string> Negative => ConformanceData.Folders("dockerfile-parser", "parser", "testfiles-negative");

    [Theory]
    [MemberData(nameof(Positive))]
    public void DumpMatchesBuildKit(string name)
    {
        ConformanceData.RequirePresent(name);
        string dir = ConformanceData.PathOf("dockerfile-parser", "parser", "testfiles", name);
        string text = File.ReadAllText(Path.Combine(dir, "Dockerfile"));
        string expected = File.ReadAllText(Path.Combine(dir, "result"));
        Assert.Equal(expected, DockerfileParser.Parse(text).Dump());
    }

    [Theory]
    [MemberData(nameof(Negative))]
    public void InvalidFileFails(string name)
    {
        ConformanceData.RequirePresent(name);
        string dir = ConformanceData.PathOf("dockerfile-parser", "parser", "testfiles-negative", name);
        string text = File.ReadAllText(Path.Combine(dir, "Dockerfile"));
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse(text));
        Assert.StartsWith("Dockerfile:", e.Message);
    }
}
