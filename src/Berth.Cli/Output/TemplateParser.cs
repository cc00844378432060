using System.Globalization;
using System.Text;

namespace Berth.Cli.Output;

/// <summary>Parses the Go text/template subset Docker users write in --format.</summary>
internal static class TemplateParser
{
    public static List<TemplateNode> Parse(string template)
    {
        var root = new List<TemplateNode>();
        var stack = new Stack<(BlockNode Block, bool InElse)>();
        // Blocks opened by {{else if}}: their {{end}} also ends the enclosing block.
        var chain = new HashSet<BlockNode>(ReferenceEqualityComparer.Instance);
        List<TemplateNode> Current() => stack.Count == 0 ? root : stack.Peek().InElse ? stack.Peek().Block.Else! : stack.Peek().Block.Body;

        int pos = 0;
        while (pos < template.Length)
        {
            int open = template.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                Current().Add(new TextNode(template[pos..]));
                break;
            }
            int close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) throw new TemplateException($"unclosed action in template \"{template}\"");
            string text = template[pos..open];
            string action = template[(open + 2)..close];
            bool trimLeft = action.StartsWith("- ", StringComparison.Ordinal) || action == "-";
            bool trimRight = action.EndsWith(" -", StringComparison.Ordinal);
            if (trimLeft) { action = action[1..]; text = text.TrimEnd(); }
            if (trimRight) action = action[..^1];
            if (text.Length > 0) Current().Add(new TextNode(text));
            pos = close + 2;
            if (trimRight) while (pos < template.Length && char.IsWhiteSpace(template[pos])) pos++;

            action = action.Trim();
            if (action.StartsWith("/*", StringComparison.Ordinal)) continue;
            string keyword = FirstWord(action);
            switch (keyword)
            {
                case "if" or "with" or "range":
                {
                    var block = new BlockNode(keyword, ParsePipeline(action[keyword.Length..]));
                    Current().Add(block);
                    stack.Push((block, false));
                    break;
                }
                case "else":
                {
                    if (stack.Count == 0) throw new TemplateException("unexpected {{else}}");
                    var (block, inElse) = stack.Pop();
                    if (inElse) throw new TemplateException("more than one {{else}} in a block");
                    block.Else = new List<TemplateNode>();
                    string rest = action[4..].Trim();
                    if (rest.Length > 0)
                    {
                        // {{else if …}} nests a new block in the else branch; one {{end}} closes both.
                        string k = FirstWord(rest);
                        if (k is not ("if" or "with")) throw new TemplateException($"unexpected \"{rest}\" after else");
                        var nested = new BlockNode(k, ParsePipeline(rest[k.Length..]));
                        block.Else.Add(nested);
                        stack.Push((block, true));
                        stack.Push((nested, false));
                        chain.Add(nested);
                    }
                    else stack.Push((block, true));
                    break;
                }
                case "end":
                {
                    if (stack.Count == 0) throw new TemplateException("unexpected {{end}}");
                    var (closed, _) = stack.Pop();
                    while (chain.Remove(closed) && stack.Count > 0) closed = stack.Pop().Block;
                    break;
                }
                default:
                    Current().Add(new ActionNode(ParsePipeline(action)));
                    break;
            }
        }
        if (stack.Count > 0) throw new TemplateException($"unexpected EOF: missing {{{{end}}}} for {{{{{stack.Peek().Block.Keyword}}}}}");
        return root;
    }

    private static string FirstWord(string s)
    {
        int i = 0;
        while (i < s.Length && (char.IsLetter(s[i]))) i++;
        return i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] != '(' ? "" : s[..i];
    }

    public static Pipeline ParsePipeline(string text)
    {
        var tokens = Tokenize(text);
        var pipeline = new Pipeline();
        int i = 0;
        // Declarations: $x := …  or  $k, $v := …
        int assign = tokens.IndexOf(":=");
        if (assign > 0)
        {
            for (int j = 0; j < assign; j++)
            {
                if (tokens[j] == ",") continue;
                if (!tokens[j].StartsWith('$')) throw new TemplateException($"bad variable declaration in \"{text}\"");
                pipeline.Declarations.Add(tokens[j]);
            }
            i = assign + 1;
        }
        var command = new List<Term>();
        for (; i < tokens.Count; i++)
        {
            string t = tokens[i];
            if (t == "|")
            {
                if (command.Count == 0) throw new TemplateException($"missing command before '|' in \"{text}\"");
                pipeline.Commands.Add(command);
                command = new List<Term>();
                continue;
            }
            if (t == "(")
            {
                int depth = 1, j = i + 1;
                var inner = new StringBuilder();
                for (; j < tokens.Count; j++)
                {
                    if (tokens[j] == "(") depth++;
                    else if (tokens[j] == ")" && --depth == 0) break;
                    inner.Append(tokens[j].StartsWith('"') ? tokens[j] : tokens[j]).Append(' ');
                }
                if (depth != 0) throw new TemplateException($"unclosed '(' in \"{text}\"");
                string[] chain = Array.Empty<string>();
                if (j + 1 < tokens.Count && tokens[j + 1].StartsWith(ChainMark, StringComparison.Ordinal))
                    chain = tokens[++j][(ChainMark.Length + 1)..].Split('.');
                command.Add(new Term { Kind = TermKind.Nested, Inner = ParsePipeline(inner.ToString()), Fields = chain });
                i = j;
                continue;
            }
            command.Add(ParseTerm(t));
        }
        if (command.Count > 0) pipeline.Commands.Add(command);
        if (pipeline.Commands.Count == 0) throw new TemplateException($"missing value in action \"{text}\"");
        return pipeline;
    }

    private const string ChainMark = "\u0001";

    private static Term ParseTerm(string t)
    {
        if (t.StartsWith('"')) return new Term { Kind = TermKind.Literal, Literal = Unquote(t) };
        if (t.StartsWith('`')) return new Term { Kind = TermKind.Literal, Literal = t[1..^1] };
        if (t == ".") return new Term { Kind = TermKind.Field };
        if (t.StartsWith('.')) return new Term { Kind = TermKind.Field, Fields = t[1..].Split('.') };
        if (t.StartsWith('$'))
        {
            int dot = t.IndexOf('.');
            return new Term { Kind = TermKind.Variable, Name = dot < 0 ? t : t[..dot], Fields = dot < 0 ? Array.Empty<string>() : t[(dot + 1)..].Split('.') };
        }
        if (t is "true" or "false") return new Term { Kind = TermKind.Literal, Literal = t == "true" };
        if (t is "nil") return new Term { Kind = TermKind.Literal, Literal = null };
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)) return new Term { Kind = TermKind.Literal, Literal = n };
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return new Term { Kind = TermKind.Literal, Literal = d };
        if (char.IsLetter(t[0])) return new Term { Kind = TermKind.Function, Name = t };
        throw new TemplateException($"unexpected \"{t}\" in template");
    }

    private static string Unquote(string quoted)
    {
        var sb = new StringBuilder();
        for (int i = 1; i < quoted.Length - 1; i++)
        {
            char c = quoted[i];
            if (c != '\\' || i + 1 >= quoted.Length - 1) { sb.Append(c); continue; }
            char e = quoted[++i];
            sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => e });
        }
        return sb.ToString();
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == ')' && i + 1 < text.Length && text[i + 1] == '.')
            {
                // (pipeline).Field: the field chain belongs to the parenthesized value.
                tokens.Add(")");
                int f = ++i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('|' or '(' or ')' or ',')) i++;
                tokens.Add(ChainMark + text[f..i]);
                continue;
            }
            if (c is '|' or '(' or ')' or ',') { tokens.Add(c.ToString()); i++; continue; }
            if (c == ':' && i + 1 < text.Length && text[i + 1] == '=') { tokens.Add(":="); i += 2; continue; }
            if (c is '"' or '`')
            {
                int j = i + 1;
                while (j < text.Length && text[j] != c) j += text[j] == '\\' && c == '"' ? 2 : 1;
                if (j >= text.Length) throw new TemplateException($"unterminated quoted string in \"{text}\"");
                tokens.Add(text[i..(j + 1)]);
                i = j + 1;
                continue;
            }
            int start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('|' or '(' or ')' or ',')) i++;
            tokens.Add(text[start..i]);
        }
        return tokens;
    }
}

/// <summary>A --format template that cannot be parsed or executed.</summary>
public sealed class TemplateException(string message) : Exception(message);
