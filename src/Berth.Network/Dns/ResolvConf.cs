using System.Net;

namespace Berth.Network.Dns;

/// <summary>Reads upstream nameservers from a resolv.conf file (only the "nameserver" lines matter here).</summary>
public static class ResolvConf
{
    public const string HostPath = "/etc/resolv.conf";

    /// <summary>The nameservers of <paramref name="path"/> as port-53 endpoints; a missing file gives none.</summary>
    public static IReadOnlyList<IPEndPoint> ReadNameservers(string path = HostPath) =>
        File.Exists(path) ? ParseNameservers(File.ReadAllText(path)) : [];

    public static IReadOnlyList<IPEndPoint> ParseNameservers(string text)
    {
        var result = new List<IPEndPoint>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.StartsWith(';')) continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0] != "nameserver") continue;
            // Zone ids ("fe80::1%eth0") parse too; anything else that is not an address is skipped like glibc does.
            if (IPAddress.TryParse(fields[1], out var address)) result.Add(new IPEndPoint(address, 53));
        }
        return result;
    }
}
