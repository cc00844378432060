using System.Text;
using Berth.Core;

namespace Berth.Network.Firewall;

/// <summary>The whole nftables table Berth wants, derived from the current networks and published ports.</summary>
/// <remarks>Declarative: every change renders the full table again and <see cref="NftRuleset.Apply"/> swaps it atomically.
/// Published ports are DNAT'd in this table only; see docs for how that interacts with a host firewall.</remarks>
public sealed record NetworkRuleset(IReadOnlyList<BridgeNetwork> Networks, IReadOnlyList<PortMapping> Ports, string TableName = "berth")
{
    /// <summary>The nft batch that replaces the table in one transaction (create-if-missing, delete, define).</summary>
    public string ToBatch()
    {
        var body = ToTable();
        return $"table inet {TableName} {{}}\ndelete table inet {TableName}\n{body}";
    }

    /// <summary>The table definition alone, as `nft list table` would show it (modulo formatting).</summary>
    public string ToTable()
    {
        Validate();
        var bridges = Networks.Select(n => Quote(n.BridgeName)).ToList();
        var text = new StringBuilder();
        text.Append($"table inet {TableName} {{\n");

        // Published ports: only packets addressed to this host are candidates, from outside (prerouting) or from the host (output).
        Chain(text, "prerouting", "type nat hook prerouting priority dstnat; policy accept;", ["fib daddr type local jump published"]);
        Chain(text, "output", "type nat hook output priority -100; policy accept;", ["fib daddr type local jump published"]);
        Chain(text, "published", null, Ports.Select(DnatRule));

        var postrouting = new List<string>();
        if (bridges.Count > 0)
        {
            // 127.0.0.1:port from the host, DNAT'd and routed out of a bridge (route_localnet): the container must see a reply-able source.
            postrouting.Add($"oifname {Set(bridges)} ip saddr 127.0.0.0/8 masquerade");
            // Hairpin: a container reaching a published port of its own bridge must see the host, not itself. Matched by
            // address, not interface: with br_netfilter the packet is bridged back and postrouting sees no input device.
            foreach (var network in Networks.Where(n => !n.Internal))
                postrouting.Add($"ct status dnat ip saddr {network.Subnet} ip daddr {network.Subnet} masquerade");
        }
        foreach (var network in Networks.Where(n => !n.Internal))
            postrouting.Add($"ip saddr {network.Subnet} oifname != {Quote(network.BridgeName)} masquerade");
        Chain(text, "postrouting", "type nat hook postrouting priority srcnat; policy accept;", postrouting);

        var forward = new List<string>();
        foreach (var network in Networks.Where(n => n.Internal))
        {
            var bridge = Quote(network.BridgeName);
            forward.Add($"iifname {bridge} oifname != {bridge} drop");
            forward.Add($"oifname {bridge} iifname != {bridge} drop");
        }
        foreach (var network in Networks)
        {
            // Into a bridge only: replies, its own traffic, and published ports. This isolates bridges from each other
            // and from hosts routing straight to container addresses.
            var bridge = Quote(network.BridgeName);
            forward.Add($"oifname {bridge} ct state established,related accept");
            forward.Add($"oifname {bridge} iifname {bridge} accept");
            forward.Add($"oifname {bridge} ct status dnat accept");
            forward.Add($"oifname {bridge} drop");
        }
        Chain(text, "forward", "type filter hook forward priority filter; policy accept;", forward);

        // route_localnet would otherwise let containers reach the host's 127.0.0.0/8 services (CVE-2020-8558).
        Chain(text, "guard", "type filter hook prerouting priority raw; policy accept;",
            bridges.Count == 0 ? [] : [$"iifname {Set(bridges)} ip daddr 127.0.0.0/8 drop"]);
        text.Append("}\n");
        return text.ToString();
    }

    private static string DnatRule(PortMapping port)
    {
        var protocol = port.Protocol == TransportProtocol.Tcp ? "tcp" : "udp";
        var match = port.AllHostAddresses ? "meta nfproto ipv4" : $"ip daddr {port.HostIp}";
        return $"{match} {protocol} dport {port.HostPort} dnat ip to {port.ContainerIp}:{port.ContainerPort}";
    }

    private void Validate()
    {
        if (TableName.Length is 0 or > 64 || !char.IsAsciiLetter(TableName[0]) || !TableName.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw BerthException.Invalid($"invalid nftables table name \"{TableName}\"");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var network in Networks)
        {
            Netlink.LinkName.Validate(network.BridgeName);
            if (network.BridgeName.Any(c => c is '"' or '\\' or '{' or '}' or ';' or '#'))
                throw BerthException.Invalid($"bridge name \"{network.BridgeName}\" cannot be used in an nftables rule");
            if (!seen.Add(network.BridgeName)) throw BerthException.Invalid($"bridge {network.BridgeName} is listed twice");
        }
        var published = new HashSet<(TransportProtocol, string, int)>();
        foreach (var port in Ports)
        {
            port.Validate();
            if (port.HostIp is { } ip && !port.AllHostAddresses && ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                throw BerthException.Invalid($"host address {ip} of {port} is not IPv4 (IPv6 publishing is not supported yet)");
            var key = (port.Protocol, port.AllHostAddresses ? "*" : port.HostIp!.ToString(), port.HostPort);
            if (!published.Add(key) ||
                (port.AllHostAddresses && Ports.Any(p => p != port && p.Protocol == port.Protocol && p.HostPort == port.HostPort)))
                throw BerthException.Conflict($"host port {port.HostPort}/{port.Protocol.ToString().ToLowerInvariant()} is already published ({port})");
        }
    }

    private static void Chain(StringBuilder text, string name, string? hook, IEnumerable<string> rules)
    {
        text.Append($"\tchain {name} {{\n");
        if (hook is not null) text.Append($"\t\t{hook}\n");
        foreach (var rule in rules) text.Append($"\t\t{rule}\n");
        text.Append("\t}\n");
    }

    private static string Quote(string name) => $"\"{name}\"";

    private static string Set(List<string> items) => items.Count == 1 ? items[0] : $"{{ {string.Join(", ", items)} }}";
}
