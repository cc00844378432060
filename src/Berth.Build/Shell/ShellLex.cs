using System.Text;
using Berth.Core;

namespace Berth.Build.Shell;

/// <summary>Dockerfile shell-word processing: quote removal, escapes and $VAR / ${VAR…} expansion, as BuildKit's frontend does it.</summary>
/// <remarks>Not thread-safe: one instance keeps its scanning state, like BuildKit's lexer.</remarks>
public sealed partial class ShellLex
{
    private const int Eof = -1;
    private static readonly IReadOnlyDictionary<string, string> NoEnv = new Dictionary<string, string>();

    private readonly int _escapeToken;
    private string _src = "";
    private int _pos;
    private IReadOnlyDictionary<string, string> _env = NoEnv;
    private bool _rawEscapes;
    private bool _capture;
    private HashSet<string>? _matched;
    private HashSet<string>? _unmatched;
    // BuildKit shares one words buffer between nested ${…} scans; sharing it here keeps word splitting identical.
    private readonly StringBuilder _wordsBuffer = new();

    /// <summary>Creates a lexer using <paramref name="escapeToken"/> ('\\' or '`') as the escape character.</summary>
    public ShellLex(char escapeToken = '\\')
    {
        if (escapeToken != '\\' && escapeToken != '`')
            throw BerthException.Invalid($"invalid escape token '{escapeToken}' does not match ` or \\");
        _escapeToken = escapeToken;
    }

    /// <summary>The escape character this lexer honours.</summary>
    public char EscapeToken => (char)_escapeToken;

    /// <summary>Keep quote characters in the output instead of removing them.</summary>
    public bool RawQuotes { get; set; }

    /// <summary>Keep escape characters in the output instead of removing them.</summary>
    public bool RawEscapes { get; set; }

    /// <summary>Treat quotes as ordinary characters.</summary>
    public bool SkipProcessQuotes { get; set; }

    /// <summary>Leave references to unset variables as written instead of expanding them to empty.</summary>
    public bool SkipUnsetEnv { get; set; }

    /// <summary>Expands <paramref name="word"/> into one string, keeping the spaces between words.</summary>
    public string ProcessWord(string word, IReadOnlyDictionary<string, string>? env = null)
        => Process(word, env, capture: true).Result;

    /// <summary>Expands <paramref name="word"/> and reports which variables were found and which were not.</summary>
    public ShellWordResult ProcessWordWithMatches(string word, IReadOnlyDictionary<string, string>? env = null)
        => Process(word, env, capture: true);

    /// <summary>Expands <paramref name="word"/>, then splits it into words on unquoted white space.</summary>
    public IReadOnlyList<string> ProcessWords(string word, IReadOnlyDictionary<string, string>? env = null)
        => Process(word, env, capture: false).Words;

    // The scanner keeps its position in fields: one word at a time, so stages building in parallel can share a lexer.
    private readonly Lock _gate = new();

    private ShellWordResult Process(string word, IReadOnlyDictionary<string, string>? env, bool capture)
    {
        lock (_gate) return ProcessLocked(word, env, capture);
    }

    private ShellWordResult ProcessLocked(string word, IReadOnlyDictionary<string, string>? env, bool capture)
    {
        _src = word;
        _pos = 0;
        _env = env ?? NoEnv;
        _capture = capture;
        _rawEscapes = RawEscapes;
        if (capture)
        {
            _matched = null;
            _unmatched = null;
        }
        try
        {
            var (result, words) = ProcessStopOn(Eof, RawEscapes);
            return new ShellWordResult(result, words,
                (IReadOnlySet<string>?)_matched ?? new HashSet<string>(),
                (IReadOnlySet<string>?)_unmatched ?? new HashSet<string>());
        }
        catch (ShellSyntaxError e)
        {
            throw BerthException.Invalid($"failed to process \"{word}\": {e.Message}");
        }
    }

    private int Peek()
    {
        if (_pos >= _src.Length) return Eof;
        char c = _src[_pos];
        if (char.IsHighSurrogate(c) && _pos + 1 < _src.Length && char.IsLowSurrogate(_src[_pos + 1]))
            return char.ConvertToUtf32(c, _src[_pos + 1]);
        return c;
    }

    private int Next()
    {
        int ch = Peek();
        if (ch == Eof) return Eof;
        _pos += ch > 0xFFFF ? 2 : 1;
        return ch;
    }

    private static void Append(StringBuilder sb, int ch)
    {
        if (ch > 0xFFFF) sb.Append(char.ConvertFromUtf32(ch));
        else sb.Append((char)ch);
    }

    private static string RuneString(int ch) => ch < 0 ? "\uFFFD" : ch > 0xFFFF ? char.ConvertFromUtf32(ch) : ((char)ch).ToString();

    /// <summary>Errors raised while scanning; wrapped with the source word at the top.</summary>
    private sealed class ShellSyntaxError(string message) : Exception(message);
}
