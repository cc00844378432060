using System.Text;
using Berth.Build.Shell;

namespace Berth.Build.Parser;

/// <summary>A node of BuildKit's Dockerfile syntax tree: an instruction (Value, Flags, a Next chain of arguments) or a nested sub-instruction list (Children).</summary>
public sealed class Node
{
    /// <summary>The token: the instruction keyword as written, or an argument.</summary>
    public string Value { get; set; } = "";

    /// <summary>The next argument of the same expression.</summary>
    public Node? Next { get; set; }

    /// <summary>Nested expressions: the instructions of the root, or the trigger of ONBUILD.</summary>
    public List<Node> Children { get; } = [];

    /// <summary>Here-documents attached to this instruction, in order.</summary>
    public List<Heredoc> Heredocs { get; } = [];

    /// <summary>Whether the arguments were written in JSON (exec) form.</summary>
    public bool IsJson { get; set; }

    /// <summary>BuildKit's attribute map view: {"json": true} for JSON form, otherwise empty.</summary>
    public IReadOnlyDictionary<string, bool> Attributes
        => IsJson ? new Dictionary<string, bool> { ["json"] = true } : new Dictionary<string, bool>();

    /// <summary>The logical line (continuations joined) this instruction came from.</summary>
    public string Original { get; set; } = "";

    /// <summary>Builder flags such as <c>--from=build</c>, as written (quotes and escapes removed).</summary>
    public IReadOnlyList<string> Flags { get; set; } = [];

    /// <summary>First source line (1-based) of this instruction.</summary>
    public int StartLine { get; set; }

    /// <summary>Last source line (1-based) of this instruction, including here-documents.</summary>
    public int EndLine { get; set; }

    /// <summary>The comment lines directly above this instruction.</summary>
    public IReadOnlyList<string> PrevComment { get; set; } = [];

    /// <summary>The argument values of the Next chain, in order.</summary>
    public IEnumerable<Node> Arguments
    {
        get
        {
            for (var n = Next; n != null; n = n.Next) yield return n;
        }
    }

    /// <summary>Prints this node in BuildKit's s-expression dump format.</summary>
    public string Dump()
    {
        var sb = new StringBuilder();
        DumpTo(sb);
        return GoText.TrimSpace(sb.ToString());
    }

    private void DumpTo(StringBuilder sb)
    {
        sb.Append(Value.ToLowerInvariant());
        if (Flags.Count > 0)
        {
            sb.Append(" [");
            for (int i = 0; i < Flags.Count; i++)
            {
                if (i > 0) sb.Append(' ');
                GoText.AppendQuoted(sb, Flags[i]);
            }
            sb.Append(']');
        }
        foreach (var child in Children)
        {
            sb.Append('(').Append(child.Dump()).Append(")\n");
        }
        for (var n = Next; n != null; n = n.Next)
        {
            sb.Append(' ');
            if (n.Children.Count > 0) sb.Append(n.Dump());
            else GoText.AppendQuoted(sb, n.Value);
        }
    }

    internal bool CanContainHeredoc()
    {
        var node = this;
        if (Value.Equals("onbuild", StringComparison.OrdinalIgnoreCase) && Next is { Children.Count: > 0 })
            node = Next.Children[0];
        string v = node.Value.ToLowerInvariant();
        return v is "run" or "copy" or "add" && !node.IsJson;
    }
}
