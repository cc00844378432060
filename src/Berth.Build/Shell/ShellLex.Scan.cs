using System.Text;

namespace Berth.Build.Shell;

public sealed partial class ShellLex
{
    /// <summary>Collects split words; a character counts as a separator only when it came from unquoted text.</summary>
    private sealed class WordCollector(StringBuilder buf)
    {
        private readonly List<string> _words = [];
        private bool _inWord;

        public void AddChar(int ch)
        {
            if (GoText.IsSpace(ch))
            {
                if (_inWord && buf.Length != 0)
                {
                    _words.Add(buf.ToString());
                    buf.Clear();
                    _inWord = false;
                }
            }
            else
            {
                AddRawChar(ch);
            }
        }

        public void AddRawChar(int ch)
        {
            Append(buf, ch);
            _inWord = true;
        }

        public void AddString(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                int ch = s[i];
                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    ch = char.ConvertToUtf32(s[i], s[++i]);
                AddChar(ch);
            }
        }

        public void AddRawString(string s)
        {
            buf.Append(s);
            _inWord = true;
        }

        public List<string> GetWords()
        {
            if (buf.Length > 0)
            {
                _words.Add(buf.ToString());
                buf.Clear();
                _inWord = false;
            }
            return _words;
        }
    }

    // Scans until stopChar (or the end when stopChar is Eof), returning the expanded text and its words.
    private (string Result, List<string> Words) ProcessStopOn(int stopChar, bool rawEscapes)
    {
        var result = new StringBuilder();
        _wordsBuffer.Clear();
        var words = new WordCollector(_wordsBuffer);
        bool saved = _rawEscapes;
        _rawEscapes = rawEscapes;
        try
        {
            while (Peek() != Eof)
            {
                int ch = Peek();
                if (stopChar != Eof && ch == stopChar)
                {
                    Next();
                    return (result.ToString(), words.GetWords());
                }
                switch (ch)
                {
                    case '$':
                        {
                            string tmp = ProcessDollar();
                            result.Append(tmp);
                            words.AddString(tmp);
                            continue;
                        }
                    case '<':
                        {
                            string tmp = ProcessPossibleHeredoc();
                            result.Append(tmp);
                            words.AddRawString(tmp);
                            continue;
                        }
                    case '\'' when !SkipProcessQuotes:
                        {
                            string tmp = ProcessSingleQuote();
                            result.Append(tmp);
                            words.AddRawString(tmp);
                            continue;
                        }
                    case '"' when !SkipProcessQuotes:
                        {
                            string tmp = ProcessDoubleQuote();
                            result.Append(tmp);
                            words.AddRawString(tmp);
                            continue;
                        }
                }

                ch = Next();
                if (ch == _escapeToken)
                {
                    if (_rawEscapes)
                    {
                        words.AddRawChar(ch);
                        Append(result, ch);
                    }
                    // The escape token quotes the next character; alone at the end it vanishes.
                    ch = Next();
                    if (ch == Eof) break;
                    words.AddRawChar(ch);
                }
                else
                {
                    words.AddChar(ch);
                }
                Append(result, ch);
            }
            if (stopChar != Eof)
                throw new ShellSyntaxError($"unexpected end of statement while looking for matching {RuneString(stopChar)}");
            return (result.ToString(), words.GetWords());
        }
        finally
        {
            _rawEscapes = saved;
        }
    }

    private string ProcessSingleQuote()
    {
        // Everything up to the closing quote is literal; a single quote cannot be escaped inside.
        var result = new StringBuilder();
        int ch = Next();
        if (RawQuotes) Append(result, ch);
        while (true)
        {
            ch = Next();
            if (ch == Eof) throw new ShellSyntaxError("unexpected end of statement while looking for matching single-quote");
            if (ch == '\'')
            {
                if (RawQuotes) Append(result, ch);
                return result.ToString();
            }
            Append(result, ch);
        }
    }

    private string ProcessDoubleQuote()
    {
        // Literal except $ expansions; the escape token only escapes ", $ and itself (as sh does).
        var result = new StringBuilder();
        int ch = Next();
        if (RawQuotes) Append(result, ch);
        while (true)
        {
            int peek = Peek();
            if (peek == Eof) throw new ShellSyntaxError("unexpected end of statement while looking for matching double-quote");
            if (peek == '"')
            {
                ch = Next();
                if (RawQuotes) Append(result, ch);
                return result.ToString();
            }
            if (peek == '$')
            {
                result.Append(ProcessDollar());
                continue;
            }
            ch = Next();
            if (ch == _escapeToken)
            {
                if (_rawEscapes) Append(result, ch);
                int after = Peek();
                if (after == Eof) continue;
                if (after == '"' || after == '$' || after == _escapeToken) ch = Next();
            }
            Append(result, ch);
        }
    }

    private string ProcessPossibleHeredoc()
    {
        Next();
        if (Peek() != '<') return "<";
        Next();
        // Keep the blanks between << and the delimiter so "<< EOF" stays one word.
        var sb = new StringBuilder("<<");
        while (Peek() is '\t' or '\r' or ' ')
            Append(sb, Next());
        return sb.ToString();
    }
}
