using System.Diagnostics;
using Berth.Core;

namespace Berth.Network.Firewall;

/// <summary>Applies nftables batches through `nft -f -`, each batch one kernel transaction.</summary>
public static class NftRuleset
{
    /// <summary>The nft binary; overridable for hosts where it lives elsewhere.</summary>
    public static string NftPath { get; set; } = "nft";

    /// <summary>Replaces the ruleset's table atomically: on failure the previous table stays in force.</summary>
    public static void Apply(NetworkRuleset ruleset) => Run(ruleset.ToBatch(), $"table inet {ruleset.TableName}");

    /// <summary>Deletes the table if it exists (one transaction).</summary>
    public static void DeleteTable(string tableName) =>
        Run($"table inet {tableName} {{}}\ndelete table inet {tableName}\n", $"delete table inet {tableName}");

    /// <summary>The table as `nft list table` prints it, or null when it does not exist.</summary>
    public static string? ListTable(string tableName)
    {
        var (exit, output, error) = Execute(["list", "table", "inet", tableName], null);
        if (exit == 0) return output;
        if (error.Contains("No such file or directory", StringComparison.Ordinal)) return null;
        throw BerthException.Internal($"nft list table inet {tableName} failed (exit {exit}): {error.Trim()}");
    }

    /// <summary>Feeds a batch to `nft -f -`; the error names <paramref name="subject"/> and carries nft's own message.</summary>
    public static void Run(string batch, string subject)
    {
        var (exit, _, error) = Execute(["-f", "-"], batch);
        if (exit != 0) throw BerthException.Internal($"nft -f - for {subject} failed (exit {exit}): {error.Trim()}");
    }

    private static (int Exit, string Output, string Error) Execute(string[] arguments, string? input)
    {
        var start = new ProcessStartInfo(NftPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw BerthException.Precondition($"cannot run {NftPath}: {e.Message} (install the nftables package)");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null) process.StandardInput.Write(input);
            process.StandardInput.Close();
            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
