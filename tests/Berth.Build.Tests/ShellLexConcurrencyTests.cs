using Berth.Build.Shell;

namespace Berth.Build.Tests;

public class ShellLexConcurrencyTests
{
    [Fact]
    public void One_lexer_expands_words_from_many_threads_at_once()
    {
        // Parallel build stages share a stage's lexer; each expansion must see only its own word and environment.
        var lex = new ShellLex();
        string word = string.Concat(Enumerable.Repeat("${BASE}:${DIR}/x ", 40));
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var env = new Dictionary<string, string> { ["BASE"] = "image" + i, ["DIR"] = "/d" + i };
            Assert.Equal(string.Concat(Enumerable.Repeat($"image{i}:/d{i}/x ", 40)), lex.ProcessWord(word, env));
        });
    }
}
