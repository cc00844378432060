using System.Net;
using Berth.Network.Dns;
using Berth.Network.Sandbox;

namespace Berth.Network.Tests;

[Trait("Category", "Root")]
public sealed class DnsFromContainerTests
{
    [Fact]
    public async Task A_container_resolves_its_peers_through_the_gateway_on_port_53()
    {
        using var fixture = new NetnsSandboxFixture();
        var bridge = fixture.NewLink();
        var prefix = $"10.{Random.Shared.Next(230, 250)}.{Random.Shared.Next(0, 255)}";
        var gateway = IPAddress.Parse(prefix + ".1");
        var container = IPAddress.Parse(prefix + ".2");
        NetworkSandbox.EnsureBridge(bridge, gateway, 24);
        var ns = fixture.NewNamespace();
        NetworkSandbox.ConnectContainer(bridge, fixture.NewLink(), ns, container, 24, gateway);

        using var server = new DnsServer([]);
        var endpoint = server.AddListener(bridge, gateway);
        Assert.Equal(53, endpoint.Port);
        server.Register(bridge, "db", IPAddress.Parse(prefix + ".3"));
        server.Register(bridge, "web", container);

        var db = await NetnsScope.Run(ns, () => DnsProbe.UdpAsync(endpoint, "DB", DnsProbe.A));
        Assert.Equal([IPAddress.Parse(prefix + ".3")], db.Addresses);
        var web = await NetnsScope.Run(ns, () => DnsProbe.TcpAsync(endpoint, "web", DnsProbe.A));
        Assert.Equal([container], web.Addresses);
        var missing = await NetnsScope.Run(ns, () => DnsProbe.UdpAsync(endpoint, "nope", DnsProbe.A));
        Assert.Equal(3, missing.Rcode);
    }
}
