using System.Text;

namespace Berth.Build.Shell;

public sealed partial class ShellLex
{
    private string ProcessDollar()
    {
        Next();
        if (Peek() != '{')
        {
            string bare = ProcessName();
            if (bare.Length == 0) return "$";
            var (v, found) = GetEnv(bare);
            if (!found && SkipUnsetEnv) return "$" + bare;
            return v;
        }

        Next();
        switch (Peek())
        {
            case Eof:
                throw new ShellSyntaxError("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw new ShellSyntaxError("syntax error: bad substitution");
        }
        string name = ProcessName();
        int ch = Next();
        string chs = RuneString(ch);
        bool nullIsUnset = false;

        if (ch == '}')
        {
            var (v, set) = GetEnv(name);
            if (!set && SkipUnsetEnv) return "${" + name + "}";
            return v;
        }
        if (ch == '/') return ProcessReplace(name);
        if (ch == ':')
        {
            nullIsUnset = true;
            ch = Next();
            chs += RuneString(ch);
        }
        else if (ch is not ('+' or '-' or '?' or '#' or '%'))
        {
            throw new ShellSyntaxError($"unsupported modifier ({chs}) in substitution");
        }

        bool patternOp = ch is '#' or '%';
        if (nullIsUnset && patternOp)
            throw new ShellSyntaxError($"unsupported modifier ({chs}) in substitution");
        string word;
        try
        {
            word = ProcessStopOn('}', patternOp).Result;
        }
        catch (ShellSyntaxError) when (Peek() == Eof)
        {
            throw new ShellSyntaxError("syntax error: missing '}'");
        }

        var (value, isSet) = GetEnv(name);
        if (SkipUnsetEnv && !isSet) return "${" + name + chs + word + "}";

        bool unsetOrNull = !isSet || (nullIsUnset && value.Length == 0);
        switch (ch)
        {
            case '-':
                return unsetOrNull ? word : value;
            case '+':
                return unsetOrNull ? "" : word;
            case '?':
                if (!isSet)
                    throw new ShellSyntaxError($"{name}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                if (nullIsUnset && value.Length == 0)
                    throw new ShellSyntaxError($"{name}: {(word.Length > 0 ? word : "is not allowed to be empty")}");
                return value;
            case '#' or '%':
                {
                    // One #/% removes the shortest match, a doubled one the longest.
                    bool greedy = word.Length > 0 && word[0] == ch;
                    if (greedy) word = word[1..];
                    return ch == '%' ? ShellPattern.TrimSuffix(word, value, greedy) : ShellPattern.TrimPrefix(word, value, greedy);
                }
            default:
                throw new ShellSyntaxError($"unsupported modifier ({chs}) in substitution");
        }
    }

    private string ProcessReplace(string name)
    {
        bool replaceAll = Peek() == '/';
        if (replaceAll) Next();
        string pattern, replacement;
        try
        {
            pattern = ProcessStopOn('/', true).Result;
        }
        catch (ShellSyntaxError) when (Peek() == Eof)
        {
            throw new ShellSyntaxError("syntax error: missing '/' in ${}");
        }
        try
        {
            replacement = ProcessStopOn('}', true).Result;
        }
        catch (ShellSyntaxError) when (Peek() == Eof)
        {
            throw new ShellSyntaxError("syntax error: missing '}'");
        }

        var (value, set) = GetEnv(name);
        if (SkipUnsetEnv && !set) return "${" + name + "/" + pattern + "/" + replacement + "}";
        return ShellPattern.Replace(pattern, value, replacement, replaceAll);
    }

    // Reads a variable name: a run of digits (positional), one special parameter, or letters, digits and '_'.
    private string ProcessName()
    {
        var name = new StringBuilder();
        while (Peek() != Eof)
        {
            int ch = Peek();
            if (name.Length == 0 && GoText.IsDigit(ch))
            {
                while (Peek() != Eof && GoText.IsDigit(Peek()))
                    Append(name, Next());
                return name.ToString();
            }
            if (name.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
                return RuneString(Next());
            if (!GoText.IsLetter(ch) && !GoText.IsDigit(ch) && ch != '_') break;
            Append(name, Next());
        }
        return name.ToString();
    }

    private (string Value, bool Found) GetEnv(string name)
    {
        if (_env.TryGetValue(name, out var v))
        {
            if (_capture) (_matched ??= []).Add(name);
            return (v, true);
        }
        if (_capture) (_unmatched ??= []).Add(name);
        return ("", false);
    }
}
