using System.Diagnostics;
using Berth.Build.Parser;
using Xunit.Abstractions;

namespace Berth.Build.Tests.Conformance;

/// <summary>Dockerfiles of the Docker official images: each must dump exactly as BuildKit's parser did.</summary>
public class CorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> Entries => ConformanceData.Folders("dockerfile-corpus");

    [Theory]
    [MemberData(nameof(Entries))]
    public void DumpMatchesBuildKit(string name)
    {
        ConformanceData.RequirePresent(name);
        string dir = ConformanceData.PathOf("dockerfile-corpus", name);
        string text = File.ReadAllText(Path.Combine(dir, "Dockerfile"));
        string expected = File.ReadAllText(Path.Combine(dir, "result"));
        Assert.Equal(expected, DockerfileParser.Parse(text, name).Dump());
    }

    [Fact]
    public void WholeCorpusParses()
    {
        string root = ConformanceData.PathOf("dockerfile-corpus");
        var texts = Directory.GetDirectories(root)
            .Select(d => (Name: Path.GetFileName(d), Text: File.ReadAllText(Path.Combine(d, "Dockerfile"))))
            .ToList();
        Assert.Equal(622, texts.Count);
        foreach (var (name, text) in texts) DockerfileParser.Parse(text, name); // warm-up
        var sw = Stopwatch.StartNew();
        int instructions = 0;
        foreach (var (name, text) in texts) instructions += DockerfileParser.Parse(text, name).Instructions.Count;
        sw.Stop();
        output.WriteLine($"parsed {texts.Count} Dockerfiles ({instructions} instructions) in {sw.Elapsed.TotalMilliseconds:F1} ms");
    }
}
