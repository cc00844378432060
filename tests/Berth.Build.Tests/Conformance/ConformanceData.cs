namespace Berth.Build.Tests.Conformance;

/// <summary>Locates /work/shared/conformance by walking up from the test binaries to a folder that has shared/conformance beside the repository.</summary>
public static class ConformanceData
{
    public const string Missing = "(conformance data not found)";

    public static string? TryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "conformance");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static string Root => TryRoot()
        ?? throw new InvalidOperationException(
            $"conformance data not found: no shared/conformance directory in any parent of {AppContext.BaseDirectory}");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Sub-folder names of a conformance folder as theory rows; one "missing" row when the data is absent so the test fails loudly.</summary>
    public static TheoryData<string> Folders(params string[] parts)
    {
        var data = new TheoryData<string>();
        string? root = TryRoot();
        string dir = root == null ? "" : Path.Combine([root, .. parts]);
        if (root == null || !Directory.Exists(dir))
        {
            data.Add(Missing);
            return data;
        }
        foreach (var d in Directory.GetDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            data.Add(d!);
        return data;
    }

    public static void RequirePresent(string row)
    {
        if (row == Missing) _ = Root; // throws with the searched path
    }
}
