using System.Text;

namespace Berth.Engine.Containers;

/// <summary>Writes the per-container /etc/hostname, /etc/hosts and /etc/resolv.conf that are bind-mounted into it.</summary>
public static class EtcFiles
{
    public static void WriteHostname(string path, string hostname) => File.WriteAllText(path, hostname + "\n");

    public static void WriteHosts(string path, string hostname, string? ip, IEnumerable<string>? extraHosts)
    {
        var sb = new StringBuilder();
        sb.Append("127.0.0.1\tlocalhost\n");
        sb.Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        sb.Append("fe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        if (extraHosts != null)
        {
            foreach (var h in extraHosts)
            {
                int sep = h.IndexOf(':');
                if (sep <= 0) throw Core.BerthException.Invalid($"invalid argument \"{h}\" for \"--add-host\" flag: expected host:ip");
                sb.Append(h[(sep + 1)..]).Append('\t').Append(h[..sep]).Append('\n');
            }
        }
        if (ip != null) sb.Append(ip).Append('\t').Append(hostname).Append('\n');
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>The host's resolv.conf; loopback name servers are dropped when the container has its own network namespace, as Docker does.</summary>
    public static void WriteResolvConf(string path, bool hostNetwork, IReadOnlyList<string>? dns, IReadOnlyList<string>? search, IReadOnlyList<string>? options)
    {
        string host = File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "";
        var lines = host.Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        var servers = lines.Where(l => l.StartsWith("nameserver")).Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "").Where(s => s.Length > 0).ToList();
        var searches = lines.Where(l => l.StartsWith("search")).SelectMany(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Skip(1)).ToList();
        var opts = lines.Where(l => l.StartsWith("options")).SelectMany(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Skip(1)).ToList();
        if (!hostNetwork) servers = servers.Where(s => !s.StartsWith("127.") && s != "::1").ToList();
        if (dns is { Count: > 0 }) servers = dns.ToList();
        if (search is { Count: > 0 }) searches = search.ToList();
        if (options is { Count: > 0 }) opts = options.ToList();
        var sb = new StringBuilder();
        foreach (var s in servers) sb.Append("nameserver ").Append(s).Append('\n');
        if (searches.Count > 0) sb.Append("search ").Append(string.Join(' ', searches)).Append('\n');
        if (opts.Count > 0) sb.Append("options ").Append(string.Join(' ', opts)).Append('\n');
        File.WriteAllText(path, sb.ToString());
    }
}
