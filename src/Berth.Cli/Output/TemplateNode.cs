namespace Berth.Cli.Output;

/// <summary>A parsed piece of a Go template: text, an action printing a pipeline, or a control block.</summary>
internal abstract class TemplateNode
{
}

internal sealed class TextNode(string text) : TemplateNode
{
    public string Text { get; } = text;
}

/// <summary>{{pipeline}} or {{$x := pipeline}}.</summary>
internal sealed class ActionNode(Pipeline pipeline) : TemplateNode
{
    public Pipeline Pipeline { get; } = pipeline;
}

/// <summary>{{if}}/{{with}}/{{range}} … {{else}} … {{end}}.</summary>
internal sealed class BlockNode(string keyword, Pipeline pipeline) : TemplateNode
{
    public string Keyword { get; } = keyword;
    public Pipeline Pipeline { get; } = pipeline;
    public List<TemplateNode> Body { get; } = new();
    public List<TemplateNode>? Else { get; set; }
}

/// <summary>Commands joined by '|', optionally declaring variables ($v := … or $k, $v := … in range).</summary>
internal sealed class Pipeline
{
    public List<string> Declarations { get; } = new();
    public List<List<Term>> Commands { get; } = new();
}

/// <summary>One operand: a field chain (.A.B), a variable ($x.A), a literal, a function name, or a parenthesized pipeline.</summary>
internal sealed class Term
{
    public TermKind Kind { get; init; }
    public string Name { get; init; } = "";
    public string[] Fields { get; init; } = Array.Empty<string>();
    public object? Literal { get; init; }
    public Pipeline? Inner { get; init; }
}

internal enum TermKind
{
    Field,
    Variable,
    Literal,
    Function,
    Nested,
}
