namespace Berth.Build.Parser;

/// <summary>A here-document attached to RUN, COPY or ADD: its delimiter, target descriptor, and raw content.</summary>
/// <param name="Name">The delimiter word with quotes removed.</param>
/// <param name="FileDescriptor">The descriptor written before &lt;&lt; (0 when none).</param>
/// <param name="Expand">False when the delimiter was quoted, meaning the content is not expanded.</param>
/// <param name="Chomp">True for &lt;&lt;- : leading tabs are stripped from the content.</param>
/// <param name="Content">The lines between the instruction and the delimiter, with their line endings.</param>
public sealed record Heredoc(string Name, int FileDescriptor, bool Expand, bool Chomp, string Content)
{
    /// <summary>The content with leading tabs removed from every line when <see cref="Chomp"/> is set.</summary>
    public string EffectiveContent => Chomp ? ChompTabs(Content) : Content;

    private static string ChompTabs(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length);
        bool lineStart = true;
        foreach (char c in s)
        {
            if (lineStart && c == '\t') continue;
            lineStart = c == '\n';
            sb.Append(c);
        }
        return sb.ToString();
    }
}
