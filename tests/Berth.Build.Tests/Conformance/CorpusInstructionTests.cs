using Berth.Build.Parser.Instructions;

namespace Berth.Build.Tests.Conformance;

/// <summary>Every official-image Dockerfile is valid, so each must also convert to typed stages.</summary>
public class CorpusInstructionTests
{
    [Fact]
    public void EveryCorpusFileConvertsToStages()
    {
        string root = ConformanceData.PathOf("dockerfile-corpus");
        var failures = new List<string>();
        foreach (var dir in Directory.GetDirectories(root))
        {
            try
            {
                var def = InstructionParser.ParseDockerfile(File.ReadAllText(Path.Combine(dir, "Dockerfile")), Path.GetFileName(dir));
                if (def.Stages.Count == 0) failures.Add($"{Path.GetFileName(dir)}: no stages");
            }
            catch (Core.BerthException e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.Empty(failures);
    }
}
