using System.Text;
using Berth.Build.Shell;
using Berth.Core;

namespace Berth.Build.Parser;

/// <summary>Parses Dockerfile text into BuildKit's syntax tree: directives, comments, continuations, here-documents and per-instruction arguments.</summary>
public static class DockerfileParser
{
    private const string EmptyContinuationUrl = "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/";

    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> is used in error messages.</summary>
    /// <exception cref="DockerfileParseException">The text is not a valid Dockerfile.</exception>
    public static DockerfileAst Parse(string text, string fileName = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = SourceLines.Split(text);
        int tooLong = SourceLines.FirstTooLong(lines);
        if (tooLong >= 0)
            throw new DockerfileParseException(fileName, tooLong + 1, 1, $"dockerfile line greater than max allowed size of {SourceLines.MaxLineBytes - 1}");
        var directives = new DirectiveScanner();
        var root = new Node { StartLine = -1 };
        var warnings = new List<ParseWarning>();
        List<string>? comments = null;
        int idx = 0, currentLine = 0;

        while (idx < lines.Count)
        {
            string raw = lines[idx++];
            if (currentLine == 0 && raw.StartsWith('\uFEFF')) raw = raw[1..];
            if (IsComment(raw))
            {
                string comment = GoText.TrimSpace(raw[1..]);
                if (comment.Length == 0) comments = null;
                else (comments ??= []).Add(comment);
            }
            string processed;
            bool directiveOk;
            try
            {
                (processed, directiveOk) = ProcessLine(directives, raw, stripLeft: true);
            }
            catch (DirectiveException e)
            {
                throw new DockerfileParseException(fileName, currentLine + 1, 1, e.Message);
            }
            if (directiveOk && comments is { Count: > 0 }) comments.RemoveAt(comments.Count - 1);
            currentLine++;

            int startLine = currentLine;
            var (logical, endOfLine) = TrimContinuation(processed, directives.EscapeToken);
            if (endOfLine && logical.Length == 0) continue;
            var buf = new StringBuilder(logical);

            bool hasEmptyContinuation = false;
            while (!endOfLine && idx < lines.Count)
            {
                string nextRaw = lines[idx++];
                (string p, _) = ProcessLine(directives, nextRaw, stripLeft: false);
                currentLine++;
                if (IsComment(nextRaw)) continue; // comments inside a continued instruction are dropped
                if (GoText.TrimLeftSpace(TrimNewline(p)).Length == 0)
                {
                    hasEmptyContinuation = true;
                    continue;
                }
                (p, endOfLine) = TrimContinuation(p, directives.EscapeToken);
                buf.Append(p);
            }

            string line = buf.ToString();
            if (hasEmptyContinuation)
            {
                warnings.Add(new ParseWarning("Empty continuation line found in: " + line,
                    "Empty continuation lines will become errors in a future release", EmptyContinuationUrl, currentLine));
            }

            Node child;
            try
            {
                child = ArgumentParsers.NodeFromLine(line, directives.EscapeToken, (IReadOnlyList<string>?)comments ?? []);
                if (child.CanContainHeredoc() && line.Contains("<<", StringComparison.Ordinal))
                {
                    foreach (var doc in HeredocWords.FromLine(line))
                    {
                        var (content, terminated) = ReadHeredoc(lines, ref idx, ref currentLine, doc);
                        if (!terminated)
                            throw new DockerfileParseException(fileName, startLine, 1, "unterminated heredoc", currentLine);
                        child.Heredocs.Add(doc with { Content = content });
                    }
                }
            }
            catch (ArgumentParseException e)
            {
                throw new DockerfileParseException(fileName, startLine, 1, e.Message, currentLine);
            }
            catch (BerthException e) when (e is not DockerfileParseException)
            {
                throw new DockerfileParseException(fileName, startLine, 1, e.Message, currentLine);
            }

            child.StartLine = startLine;
            child.EndLine = currentLine;
            if (root.StartLine < 0) root.StartLine = startLine;
            root.EndLine = currentLine;
            root.Children.Add(child);
            comments = null;
        }

        if (root.StartLine < 0)
            throw new DockerfileParseException(fileName, Math.Max(currentLine, 1), 1, "file with no instructions");
        return new DockerfileAst(fileName, root, directives.EscapeToken, directives.Directives, warnings);
    }

    private static (string Content, bool Terminated) ReadHeredoc(List<string> lines, ref int idx, ref int currentLine, Heredoc doc)
    {
        var content = new StringBuilder();
        while (idx < lines.Count)
        {
            string raw = lines[idx++];
            currentLine++;
            string candidate = TrimNewline(raw);
            if (doc.Chomp) candidate = candidate.TrimStart('\t');
            if (candidate == doc.Name) return (content.ToString(), true);
            content.Append(raw);
        }
        return (content.ToString(), false);
    }

    private static (string Line, bool DirectiveOk) ProcessLine(DirectiveScanner directives, string token, bool stripLeft)
    {
        token = TrimNewline(token);
        if (stripLeft) token = GoText.TrimLeftSpace(token);
        bool ok = directives.TryParse(token);
        return (IsComment(token) ? "" : token, ok);
    }

    private static bool IsComment(string line)
    {
        int i = 0;
        while (i < line.Length && GoText.IsSpace(line[i])) i++;
        return i < line.Length && line[i] == '#';
    }

    private static string TrimNewline(string s)
    {
        int end = s.Length;
        while (end > 0 && s[end - 1] is '\r' or '\n') end--;
        return end == s.Length ? s : s[..end];
    }

    // A line continues when it ends with the escape token (plus blanks) not itself escaped, or is just the token.
    private static (string Line, bool EndOfLine) TrimContinuation(string line, char escape)
    {
        int end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t') end--;
        if (end == 0 || line[end - 1] != escape) return (line, true);
        int escPos = end - 1;
        if (escPos == 0) return ("", false);
        if (line[escPos - 1] == escape) return (line, true);
        return (line[..escPos], false);
    }
}
