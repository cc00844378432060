namespace Berth.Api;

/// <summary>Runs the Berth daemon: the Docker Engine API on a unix socket.</summary>
public static class DaemonHost
{
    public static int Run(string[] args)
    {
        return 0;
    }
}
