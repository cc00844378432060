using System.Diagnostics;

namespace Berth.Runtime.Tests;

/// <summary>Builds the InitHost stand-in for the berth binary once per test run (or uses BERTH_RUNTIME_TEST_HOST) and points the launcher at it.</summary>
public static class InitHostBinary
{
    private static readonly Lazy<string> Built = new(Build);
    private static string? _buildDir;

    public static string Path => Built.Value;

    public static void Install() => Launch.ContainerLauncher.BerthExecutable = Path;

    private static string Build()
    {
        var preset = Environment.GetEnvironmentVariable("BERTH_RUNTIME_TEST_HOST");
        if (!string.IsNullOrEmpty(preset))
            return preset;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(System.IO.Path.Combine(dir.FullName, "InitHost", "InitHost.csproj")))
            dir = dir.Parent;
        if (dir == null)
            throw new InvalidOperationException("InitHost/InitHost.csproj not found above " + AppContext.BaseDirectory);
        _buildDir = Directory.CreateTempSubdirectory("berth-rt-inithost-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(_buildDir, true);
        var psi = new ProcessStartInfo("dotnet", ["build", System.IO.Path.Combine(dir.FullName, "InitHost"), "-o", _buildDir, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"building InitHost failed: {output.Result}{error}");
        return System.IO.Path.Combine(_buildDir, "berth-inithost");
    }
}
