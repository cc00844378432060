namespace Berth.Integration.Tests;

/// <summary>Picks address space for a test daemon that no interface of this host uses yet.</summary>
public static class TestNetworks
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Taken = new();

    /// <summary>A third octet X such that 10.203.X.0/24 is on no host interface and not given to another daemon of this run.</summary>
    public static int FreeThirdOctet()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ip", "-4 -o addr show") { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        string addrs = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        lock (Gate)
        {
            for (int attempt = 0; attempt < 1000; attempt++)
            {
                int x = Random.Shared.Next(1, 255);
                if (Taken.Contains(x) || addrs.Contains($" 10.203.{x}.")) continue;
                Taken.Add(x);
                return x;
            }
        }
        throw new InvalidOperationException("no free 10.203.X.0/24 for a test daemon");
    }
}
