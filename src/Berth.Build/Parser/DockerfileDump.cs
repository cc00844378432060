namespace Berth.Build.Parser;

/// <summary>The user-visible parse dump (<c>berth build --print-ast</c>), byte-for-byte BuildKit's format.</summary>
public static class DockerfileDump
{
    /// <summary>Parses <paramref name="text"/> and returns its dump, ending with a newline.</summary>
    public static string Print(string text, string fileName = "Dockerfile") => DockerfileParser.Parse(text, fileName).Dump();

    /// <summary>Returns the dump of an already parsed file, ending with a newline.</summary>
    public static string Print(DockerfileAst ast)
    {
        ArgumentNullException.ThrowIfNull(ast);
        return ast.Dump();
    }

    /// <summary>Reads and dumps the Dockerfile at <paramref name="path"/>.</summary>
    public static string PrintFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Berth.Core.BerthException.NotFound($"read Dockerfile {path}: {e.Message}");
        }
        return Print(text, Path.GetFileName(path));
    }
}
