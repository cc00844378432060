using Berth.Core.EngineApi;
using Berth.Engine.Networks;

namespace Berth.Engine.Containers;

/// <summary>A container's networks and ports as inspect and the container list show them.</summary>
internal static class NetworkView
{
    public static Dictionary<string, EndpointSettings> Endpoints(ContainerRecord r)
    {
        var result = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal);
        foreach (var (name, ep) in r.Networks)
            result[name] = new EndpointSettings
            {
                NetworkID = ep.NetworkId, EndpointID = ep.EndpointId, Gateway = ep.Gateway ?? "", IPAddress = ep.IpAddress ?? "",
                IPPrefixLen = ep.PrefixLength, MacAddress = ep.MacAddress ?? "", Aliases = ep.Aliases.Count > 0 ? ep.Aliases.ToList() : null,
                IPAMConfig = ep.RequestedIp == null ? null : new EndpointIpamConfig { IPv4Address = ep.RequestedIp },
                DNSNames = name is "bridge" ? null : new[] { r.Name, r.Id[..12] }.Concat(ep.Aliases).ToList(),
            };
        // Docker lists host and none containers under their mode's network too.
        string mode = r.HostConfig.NetworkMode ?? "";
        if (r.Networks.Count == 0 && mode is "host" or "none") result[mode] = new EndpointSettings();
        return result;
    }

    public static NetworkSettings Settings(ContainerRecord r, string netnsPath)
    {
        var s = new NetworkSettings { Networks = Endpoints(r), Ports = PortPublisher.ToApi(r) };
        // The top-level fields describe the default bridge only, as in Docker.
        if (r.Networks.TryGetValue("bridge", out var ep) && ep.IpAddress != null)
        {
            s.IPAddress = ep.IpAddress;
            s.IPPrefixLen = ep.PrefixLength;
            s.Gateway = ep.Gateway ?? "";
            s.MacAddress = ep.MacAddress ?? "";
            s.EndpointID = ep.EndpointId;
        }
        if (r.State.Running && r.Networks.Count > 0)
        {
            s.SandboxKey = netnsPath;
            s.SandboxID = r.Id;
        }
        return s;
    }

    public static List<ContainerPort> SummaryPorts(ContainerRecord r)
    {
        var ports = r.Ports.Select(p => new ContainerPort { IP = p.HostIp.Length == 0 ? "0.0.0.0" : p.HostIp, PrivatePort = p.ContainerPort, PublicPort = p.HostPort, Type = p.Protocol }).ToList();
        foreach (var key in (IEnumerable<string>?)r.Config.ExposedPorts?.Keys ?? [])
        {
            var parts = key.Split('/');
            if (!int.TryParse(parts[0], out int port)) continue;
            string proto = parts.Length > 1 ? parts[1] : "tcp";
            if (!ports.Any(p => p.PrivatePort == port && p.Type == proto)) ports.Add(new ContainerPort { PrivatePort = port, Type = proto });
        }
        return ports;
    }
}
