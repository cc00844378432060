using System.Diagnostics;

namespace Berth.Integration.Tests;

/// <summary>
/// The published binary lays out first the functions src/berth/berth.order names (scripts/layout/update-order writes
/// it), and the file still names the functions of this build: a stale or ignored order silently costs every process
/// megabytes of resident code.
/// </summary>
public sealed class CodeLayoutTests
{
    [Fact]
    public void PublishedBinaryPlacesTheOrderedFunctionsFirst()
    {
        string binary = BerthDaemon.LocateBinary();
        string symbols = Path.ChangeExtension(binary, ".dbg");
        Assert.True(File.Exists(symbols), $"{symbols} is missing: the publish keeps the symbols beside the binary");
        string[] order = File.ReadAllLines(Path.Combine(
            BerthDaemon.RepositoryRoot() ?? throw new InvalidOperationException("the tests run outside the repository: no Berth.sln above them"),
            "src", "berth", "berth.order"));

        var (start, end) = ManagedCodeRange(binary);
        var functions = new List<(ulong Address, string Name)>();
        foreach (string line in Run("nm", "--defined-only", "-n", symbols).Split('\n'))
        {
            string[] f = line.Split(' ', 3);
            if (f.Length == 3 && f[1] is "t" or "T" && ulong.TryParse(f[0], System.Globalization.NumberStyles.HexNumber, null, out ulong a) && a >= start && a < end)
                functions.Add((a, f[2]));
        }
        var defined = functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var named = order.Where(defined.Contains).ToHashSet(StringComparer.Ordinal);

        double current = (double)named.Count / order.Length;
        Assert.True(current >= 0.9, $"only {named.Count} of the {order.Length} functions berth.order names exist in this build: run scripts/layout/update-order");

        // The lowest addresses of the managed code belong to the named functions (a few unnamed ones may sit among
        // them: method bodies the compiler folded into one).
        var first = functions.Take(named.Count).ToList();
        int inOrder = first.Count(f => named.Contains(f.Name));
        Assert.True(inOrder >= first.Count * 0.95, $"{inOrder} of the first {first.Count} functions of the binary are named in berth.order: the build did not apply it");
    }

    private static (ulong Start, ulong End) ManagedCodeRange(string binary)
    {
        foreach (string line in Run("readelf", "-SW", binary).Split('\n'))
        {
            string[] f = line.Replace("[ ", "[").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int i = Array.IndexOf(f, "__managedcode");
            if (i < 0) continue;
            ulong start = Convert.ToUInt64(f[i + 2], 16), size = Convert.ToUInt64(f[i + 4], 16);
            return (start, start + size);
        }
        throw new InvalidOperationException($"{binary} has no __managedcode section");
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();  // both pipes drain at once: a full one cannot stall the tool
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
