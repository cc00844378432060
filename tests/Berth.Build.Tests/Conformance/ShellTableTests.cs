using Berth.Build.Shell;
using Berth.Core;

namespace Berth.Build.Tests.Conformance;

/// <summary>BuildKit's shell expansion tables: envVarTest (single word) and wordsTest (word splitting).</summary>
public class ShellTableTests
{
    private static readonly Dictionary<string, string> TableEnv = new()
    {
        ["PWD"] = "/home",
        ["SHELL"] = "bash",
        ["KOREAN"] = "한국어",
        ["NULL"] = "",
    };

    private static string[] Lines(string table)
        => File.ReadAllText(ConformanceData.PathOf("dockerfile-parser", "shell", table)).Split('\n');

    public static TheoryData<int> EnvVarRows => Rows("envVarTest", l =>
    {
        l = l.Trim();
        return l.Length > 0 && !l.StartsWith('#');
    });

    public static TheoryData<int> WordRows => Rows("wordsTest", l => !l.StartsWith('#') && !l.StartsWith("ENV ") && l.Length > 0);

    private static TheoryData<int> Rows(string table, Func<string, bool> isCase)
    {
        var data = new TheoryData<int>();
        if (ConformanceData.TryRoot() == null)
        {
            data.Add(-1);
            return data;
        }
        var lines = Lines(table);
        for (int i = 0; i < lines.Length; i++)
            if (isCase(lines[i])) data.Add(i + 1);
        return data;
    }

    [Theory]
    [MemberData(nameof(EnvVarRows))]
    public void EnvVarTable(int lineNumber)
    {
        if (lineNumber < 0) _ = ConformanceData.Root;
        string line = Lines("envVarTest")[lineNumber - 1].Trim();
        var cols = line.Split('|');
        Assert.Equal(3, cols.Length);
        string platform = cols[0].Trim(), source = cols[1].Trim(), expected = cols[2].Trim();
        Assert.Contains(platform, new[] { "A", "U", "W" });
        if (platform == "W") return; // Windows-only row
        var lex = new ShellLex('\\');
        if (expected == "error")
        {
            Assert.Throws<BerthException>(() => lex.ProcessWord(source, TableEnv));
            return;
        }
        Assert.Equal(expected, lex.ProcessWord(source, TableEnv));
    }

    [Theory]
    [MemberData(nameof(WordRows))]
    public void WordsTable(int lineNumber)
    {
        if (lineNumber < 0) _ = ConformanceData.Root;
        var lines = Lines("wordsTest");
        // ENV lines above the case accumulate, as in BuildKit's table.
        var env = new Dictionary<string, string>();
        for (int i = 0; i < lineNumber - 1; i++)
        {
            if (!lines[i].StartsWith("ENV ")) continue;
            string kv = lines[i][3..].TrimStart(' ');
            int eq = kv.IndexOf('=');
            env[eq < 0 ? kv : kv[..eq]] = eq < 0 ? "" : kv[(eq + 1)..];
        }
        var cols = lines[lineNumber - 1].Split('|');
        Assert.Equal(2, cols.Length);
        string source = cols[0].Trim();
        var expected = cols[1].TrimStart(' ').Split(',');
        IReadOnlyList<string> result;
        try
        {
            result = new ShellLex('\\').ProcessWords(source, env);
        }
        catch (BerthException)
        {
            result = ["error"];
        }
        Assert.Equal(expected, result);
    }
}
