namespace Berth.Runtime.MonitorHost;

/// <summary>Dispatches the internal modes exactly as the berth binary does: __monitor, and __init/__exec for the namespaced starter.</summary>
public static class Program
{
    public static int Main(string[] args) => (args.Length > 0 ? args[0] : "") switch
    {
        "__monitor" => Berth.Runtime.Monitor.MonitorMode.Run(args[1..]),
        "__init" => Berth.Runtime.Init.InitMode.Run(args[1..]),
        "__exec" => Berth.Runtime.Exec.ExecInitMode.Run(args[1..]),
        _ => 2,
    };
}
