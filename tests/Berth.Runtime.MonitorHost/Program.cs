namespace Berth.Runtime.MonitorHost;

/// <summary>Dispatches __monitor exactly as the berth binary does.</summary>
public static class Program
{
    public static int Main(string[] args) =>
        args.Length > 0 && args[0] == "__monitor" ? Berth.Runtime.Monitor.MonitorMode.Run(args[1..]) : 2;
}
