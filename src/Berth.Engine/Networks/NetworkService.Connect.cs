using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Containers;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>docker network connect: adds the membership, and an interface right away when the container runs.</summary>
    public void ConnectContainer(ContainerRecord rec, string network, EndpointSettings? settings, Action<ContainerRecord> save)
    {
        lock (Sync)
        {
            var n = Resolve(network);
            string mode = rec.HostConfig.NetworkMode ?? "";
            if (mode is "host" or "none" || mode.StartsWith("container:", StringComparison.Ordinal))
                throw BerthException.Invalid($"container {rec.Name} is in network mode {mode} and cannot be connected to other networks");
            if (n.Driver != "bridge") throw BerthException.Invalid($"container cannot be disconnected from host network or connected to host network");
            if (rec.Networks.Values.Any(e => e.NetworkId == n.Id))
                throw BerthException.Forbidden($"endpoint with name {rec.Name} already exists in network {n.Name}");
            var ep = Endpoint(n, settings, null);
            if (rec.State.Running)
            {
                string netns = NetnsPath(rec.Id);
                if (!File.Exists(netns)) throw BerthException.Precondition($"container {rec.Name} has no network namespace of its own to connect");
                Connect(rec, ep, netns, "eth" + rec.Networks.Count, primary: false);
            }
            rec.Networks[n.Name] = ep;
            UpdateClientNetworks(rec);
            save(rec);
            _events.Publish("network", "connect", n.Id, new() { ["container"] = rec.Id, ["name"] = n.Name, ["type"] = n.Driver });
        }
    }

    /// <summary>docker network disconnect: removes the membership and, when the container runs, its interface.</summary>
    public void DisconnectContainer(ContainerRecord rec, string network, Action<ContainerRecord> save)
    {
        lock (Sync)
        {
            var n = Resolve(network);
            var entry = rec.Networks.FirstOrDefault(e => e.Value.NetworkId == n.Id);
            if (entry.Value == null) throw BerthException.Forbidden($"container {rec.Id} is not connected to network {n.Name}");
            Disconnect(entry.Value, deleteVeth: true);
            rec.Networks.Remove(entry.Key);
            UpdateClientNetworks(rec);
            if (rec.Ports.Count > 0) ApplyFirewall();
            save(rec);
            _events.Publish("network", "disconnect", n.Id, new() { ["container"] = rec.Id, ["name"] = n.Name, ["type"] = n.Driver });
        }
    }
}
