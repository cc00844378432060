namespace Berth.Runtime.Tests.InitHost;

/// <summary>Dispatches the two internal modes exactly as the berth binary does.</summary>
public static class Program
{
    public static int Main(string[] args) => args.Length > 0 && args[0] == "__exec"
        ? Berth.Runtime.Exec.ExecInitMode.Run(args[1..])
        : args.Length > 0 && args[0] == "__init" ? Berth.Runtime.Init.InitMode.Run(args[1..]) : 2;
}
