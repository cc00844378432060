using Berth.Build.Parser;
using Berth.Build.Parser.Instructions;
using Berth.Build.Shell;
using Berth.Core;

namespace Berth.Build.Tests.Parser;

/// <summary>Random input built from the characters the parser treats specially must fail only with Berth errors, never crash.</summary>
public class RobustnessTests
{
    private static readonly string[] Pieces =
    [
        "FROM ", "RUN ", "COPY ", "ADD ", "ENV ", "ARG ", "LABEL ", "ONBUILD ", "HEALTHCHECK ", "CMD ", "SHELL ", "VOLUME ",
        "EXPOSE ", "USER ", "WORKDIR ", "STOPSIGNAL ", "MAINTAINER ", "ENTRYPOINT ", "FOO ",
        "--", "--mount=", "--from=", "=", "\"", "'", "\\", "`", "$", "${", "}", "{", ":", "-", "+", "?", "#", "%", "/",
        "<<", "<<-", "EOF", "\n", "\r\n", " ", "\t", "[", "]", ",", "a", "b", "1", "é", "한", "\u00a0", "\U0001F600",
        "# escape=`\n", "# syntax=x\n", "NONE", "CMD", "AS",
    ];

    [Fact]
    public void RandomTextNeverCrashesTheParsers()
    {
        var rng = new Random(20261129);
        for (int round = 0; round < 4000; round++)
        {
            int n = rng.Next(1, 40);
            var sb = new System.Text.StringBuilder();
            for (int i = 0; i < n; i++) sb.Append(Pieces[rng.Next(Pieces.Length)]);
            string text = sb.ToString();
            try
            {
                var ast = DockerfileParser.Parse(text);
                _ = ast.Dump();
                _ = InstructionParser.ParseStages(ast);
            }
            catch (BerthException)
            {
            }
            try
            {
                _ = new ShellLex().ProcessWords(text, new Dictionary<string, string> { ["a"] = "x y" });
                _ = new ShellLex('`').ProcessWord(text);
            }
            catch (BerthException)
            {
            }
        }
    }
}
