using System.Text;
using Berth.Build.Shell;

namespace Berth.Build.Parser;

/// <summary>Per-instruction argument parsing into a Next chain, following BuildKit's dispatch table.</summary>
internal static class ArgumentParsers
{
    public const string NotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

    /// <summary>Parses one logical line into an instruction node (without line numbers).</summary>
    public static Node NodeFromLine(string line, char escape, IReadOnlyList<string> comments)
    {
        var (cmd, flags, args) = CommandSplitter.Split(line, escape);
        var (next, json) = Dispatch(cmd.ToLowerInvariant(), args, escape);
        return new Node { Value = cmd, Original = line, Flags = flags, Next = next, IsJson = json, PrevComment = comments };
    }

    private static (Node? Next, bool Json) Dispatch(string cmd, string args, char escape) => cmd switch
    {
        "add" or "copy" or "volume" => MaybeJsonToList(args),
        "arg" => (NameOrNameVal(args, escape), false),
        "cmd" or "entrypoint" or "run" or "shell" => MaybeJson(args),
        "env" => (NameVal(args, "ENV", escape), false),
        "label" => (NameVal(args, "LABEL", escape), false),
        "expose" or "from" => (WhitespaceDelimited(args), false),
        "healthcheck" => HealthConfig(args),
        "maintainer" or "stopsignal" or "user" or "workdir" => (args.Length == 0 ? null : new Node { Value = args }, false),
        "onbuild" => (SubCommand(args, escape), false),
        // Unknown instructions still parse; the instruction layer rejects them.
        _ => (new Node(), false),
    };

    private static Node? SubCommand(string rest, char escape)
    {
        if (rest.Length == 0) return null;
        var holder = new Node();
        holder.Children.Add(NodeFromLine(rest, escape, []));
        return holder;
    }

    private static Node? Chain(IEnumerable<string> values)
    {
        Node? head = null, prev = null;
        foreach (var v in values)
        {
            var n = new Node { Value = v };
            if (prev == null) head = n;
            else prev.Next = n;
            prev = n;
        }
        return head;
    }

    private static Node? WhitespaceDelimited(string rest)
        => rest.Length == 0 ? null : Chain(GoWhitespace.Split(rest, -1));

    private static Node? NameOrNameVal(string rest, char escape) => Chain(ParseWords(rest, escape));

    // ENV and LABEL: "KEY value" (legacy) or KEY=value pairs; each pair becomes key, value, separator.
    private static Node? NameVal(string rest, string key, char escape)
    {
        var words = ParseWords(rest, escape);
        if (words.Count == 0) return null;
        if (!words[0].Contains('='))
        {
            var parts = GoWhitespace.Split(rest, 2);
            if (parts.Count < 2) throw new ArgumentParseException($"{key} must have two arguments");
            return Chain([parts[0], parts[1], ""]);
        }
        var flat = new List<string>(words.Count * 3);
        foreach (var w in words)
        {
            int eq = w.IndexOf('=');
            if (eq < 0) throw new ArgumentParseException($"Syntax error - can't find = in {GoText.Quote(w)}. Must be of the form: name=value");
            flat.Add(w[..eq]);
            flat.Add(w[(eq + 1)..]);
            flat.Add("=");
        }
        return Chain(flat);
    }

    private static (Node?, bool) MaybeJson(string rest)
    {
        if (rest.Length == 0) return (null, false);
        var parsed = JsonArrayForm.TryParse(rest);
        if (parsed.Values != null) return (Chain(parsed.Values), true);
        if (parsed.NotStrings) throw new ArgumentParseException(NotStringArray);
        return (new Node { Value = rest }, false);
    }

    private static (Node?, bool) MaybeJsonToList(string rest)
    {
        var parsed = JsonArrayForm.TryParse(rest);
        if (parsed.Values != null) return (Chain(parsed.Values), true);
        if (parsed.NotStrings) throw new ArgumentParseException(NotStringArray);
        return (WhitespaceDelimited(rest), false);
    }

    // HEALTHCHECK: a type word (CMD, NONE, …) followed by a command in shell or JSON form.
    // BuildKit finds the type by bytes, so spaces are judged on UTF-8 bytes here too.
    private static (Node?, bool) HealthConfig(string rest)
    {
        byte[] b = Encoding.UTF8.GetBytes(rest);
        int sep = 0;
        while (sep < b.Length && !GoText.IsSpace(b[sep])) sep++;
        int next = sep;
        while (next < b.Length && GoText.IsSpace(b[next])) next++;
        if (sep == 0) return (null, false);
        string type = Encoding.UTF8.GetString(b, 0, sep);
        var (cmd, json) = MaybeJson(Encoding.UTF8.GetString(b, next, b.Length - next));
        return (new Node { Value = type, Next = cmd }, json);
    }

    /// <summary>Splits on white space, keeping quotes and escapes in the words (they are removed later by the shell lexer).</summary>
    public static List<string> ParseWords(string rest, char escape)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        bool inSpaces = true, inQuote = false, blankOk = false;
        char quote = '\0';
        int i = 0;
        while (true)
        {
            bool end = i >= rest.Length;
            char ch = end ? '\0' : rest[i];
            if (inSpaces)
            {
                if (end) break;
                if (GoText.IsSpace(ch))
                {
                    i++;
                    continue;
                }
                inSpaces = false;
            }
            if (end)
            {
                if (blankOk || sb.Length > 0) words.Add(sb.ToString());
                break;
            }
            if (!inQuote)
            {
                if (GoText.IsSpace(ch))
                {
                    inSpaces = true;
                    if (blankOk || sb.Length > 0) words.Add(sb.ToString());
                    sb.Clear();
                    blankOk = false;
                    i++;
                    continue;
                }
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    inQuote = true;
                }
                if (ch == escape)
                {
                    if (i + 1 == rest.Length)
                    {
                        i++;
                        continue;
                    }
                    // An unquoted escape keeps itself and the next character, even a quote.
                    sb.Append(ch);
                    ch = rest[++i];
                }
                sb.Append(ch);
                i++;
                continue;
            }
            if (ch == quote) inQuote = false;
            // Inside single quotes the escape token escapes nothing.
            if (ch == escape && quote != '\'')
            {
                if (i + 1 == rest.Length)
                {
                    inQuote = false;
                    i++;
                    continue;
                }
                sb.Append(ch);
                ch = rest[++i];
            }
            sb.Append(ch);
            i++;
        }
        return words;
    }
}

/// <summary>An argument error inside one instruction; the parser adds the location.</summary>
internal sealed class ArgumentParseException(string message) : Exception(message);
