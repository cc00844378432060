namespace Berth.Cli.Tests;

public class BuildCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, stdout, stderr, null);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task PrintAstDumpsAsBuildKitDoes()
    {
        string file = Path.Combine(Path.GetTempPath(), "berth-ast-" + Guid.NewGuid().ToString("N") + ".Dockerfile");
        File.WriteAllText(file, "FROM busybox AS base\nRUN echo hi \\\n  there\nCMD [\"sh\"]\n");
        try
        {
            var (code, output, _) = await Run("build", "--print-ast", file);
            Assert.Equal(0, code);
            Assert.Equal("(from \"busybox\" \"AS\" \"base\")\n(run \"echo hi   there\")\n(cmd \"sh\")\n", output.Replace("\r\n", "\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task MissingFilesAreNamed()
    {
        var (code, _, err) = await Run("build", "--print-ast", "/nonexistent/Dockerfile");
        Assert.NotEqual(0, code);
        Assert.Contains("/nonexistent/Dockerfile", err);
        string empty = Directory.CreateTempSubdirectory("berth-cli-build-").FullName;
        try
        {
            var (buildCode, _, buildErr) = await Run("build", empty);
            Assert.NotEqual(0, buildCode);
            Assert.Contains("Dockerfile", buildErr);
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }
}
