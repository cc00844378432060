using System.Diagnostics;

namespace Berth.Runtime.Tests;

/// <summary>The executable that serves `__monitor` in tests: $BERTH_BINARY (the published berth, as CI sets it), else the
/// MonitorHost stand-in built once per run (or $BERTH_MONITOR_TEST_HOST).</summary>
public static class MonitorHostBinary
{
    private static readonly Lazy<string> Built = new(Locate);

    public static string Path => Built.Value;

    private static string Locate()
    {
        foreach (var name in new[] { "BERTH_MONITOR_TEST_HOST", "BERTH_BINARY" })
        {
            var preset = Environment.GetEnvironmentVariable(name);
            if (!string.IsNullOrEmpty(preset) && File.Exists(preset))
                return preset;
        }
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Berth.Runtime.MonitorHost", "Berth.Runtime.MonitorHost.csproj")))
            dir = dir.Parent;
        if (dir == null)
            throw new InvalidOperationException("tests/Berth.Runtime.MonitorHost not found above " + AppContext.BaseDirectory);
        var output = Directory.CreateTempSubdirectory("berth-rt-monitorhost-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(output, true);
        var psi = new ProcessStartInfo("dotnet", ["build", System.IO.Path.Combine(dir.FullName, "Berth.Runtime.MonitorHost"), "-o", output, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"building MonitorHost failed: {stdout.Result}{stderr}");
        return System.IO.Path.Combine(output, "berth-monitorhost");
    }
}
