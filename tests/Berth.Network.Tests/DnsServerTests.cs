using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Core;
using Berth.Network.Dns;
using Xunit.Abstractions;

namespace Berth.Network.Tests;

public sealed class DnsServerTests(ITestOutputHelper output)
{
    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    [Fact]
    public async Task Answers_registered_names_case_insensitively_with_aliases_and_network_suffix()
    {
        using var server = new DnsServer([]);
        var endpoint = server.AddListener("front", IPAddress.Loopback, 0);
        server.Register("front", "web", Ip("10.204.0.2"));
        server.Register("front", "WebAlias", Ip("10.204.0.2"));
        server.Register("front", "0123456789ab", Ip("10.204.0.2"));
        server.Register("front", "api", Ip("10.204.0.3"));
        server.Register("front", "api", Ip("10.204.0.4"));

        var web = await DnsProbe.UdpAsync(endpoint, "WEB", DnsProbe.A);
        Assert.Equal((0, true), (web.Rcode, web.Authoritative));
        Assert.Equal([Ip("10.204.0.2")], web.Addresses);
        Assert.Equal(0x1234, web.Id);
        Assert.Equal([Ip("10.204.0.2")], (await DnsProbe.UdpAsync(endpoint, "webalias", DnsProbe.A)).Addresses);
        Assert.Equal([Ip("10.204.0.2")], (await DnsProbe.UdpAsync(endpoint, "0123456789ab", DnsProbe.A)).Addresses);
        Assert.Equal([Ip("10.204.0.2")], (await DnsProbe.UdpAsync(endpoint, "web.front", DnsProbe.A)).Addresses);
        Assert.Equal([Ip("10.204.0.3"), Ip("10.204.0.4")], (await DnsProbe.UdpAsync(endpoint, "api", DnsProbe.A)).Addresses);
        Assert.Equal([Ip("10.204.0.3"), Ip("10.204.0.4")], (await DnsProbe.TcpAsync(endpoint, "API", DnsProbe.A)).Addresses);

        var aaaa = await DnsProbe.UdpAsync(endpoint, "web", DnsProbe.Aaaa);
        Assert.Equal(0, aaaa.Rcode);
        Assert.Empty(aaaa.Addresses);
        var ptr = await DnsProbe.UdpAsync(endpoint, "2.0.204.10.in-addr.arpa", DnsProbe.Ptr);
        Assert.Equal(["web"], ptr.Names);
        Assert.Equal(3, (await DnsProbe.UdpAsync(endpoint, "nosuchname", DnsProbe.A)).Rcode);
    }

    [Fact]
    public async Task Networks_do_not_see_each_others_names_and_unregister_works()
    {
        using var server = new DnsServer([]);
        var front = server.AddListener("front", IPAddress.Loopback, 0);
        var back = server.AddListener("back", IPAddress.Loopback, 0);
        server.Register("front", "web", Ip("10.204.0.2"));
        server.Register("back", "db", Ip("10.204.1.2"));
        server.Register("back", "database", Ip("10.204.1.2"));
        Assert.Equal(3, (await DnsProbe.UdpAsync(front, "db", DnsProbe.A)).Rcode);
        Assert.Equal(3, (await DnsProbe.UdpAsync(back, "web", DnsProbe.A)).Rcode);
        Assert.True(server.Unregister("front", "WEB"));
        Assert.Equal(3, (await DnsProbe.UdpAsync(front, "web", DnsProbe.A)).Rcode);
        Assert.Equal(2, server.UnregisterAddress("back", Ip("10.204.1.2")));
        Assert.Empty(server.Resolve("back", "database"));
        Assert.False(server.Unregister("nonet", "x"));
        Assert.True(server.RemoveListener("back"));
        Assert.False(server.RemoveListener("back"));
    }

    [Fact]
    public async Task Unknown_names_are_forwarded_to_upstream_and_timeouts_give_servfail()
    {
        using var upstream = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var upstreamEndpoint = (IPEndPoint)upstream.Client.LocalEndPoint!;
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var fake = Task.Run(async () =>
        {
            var request = await upstream.ReceiveAsync();
            var query = DnsProbe.Parse(request.Buffer);
            // Reply with a canned NOERROR + one A record 127.0.0.99 for whatever was asked.
            var reply = request.Buffer.ToList();
            reply[2] = 0x81;
            reply[3] = 0x80;
            reply[7] = 1;
            reply.AddRange([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 99]);
            await upstream.SendAsync(reply.ToArray(), request.RemoteEndPoint);
            return query.Id;
        });
        using var server = new DnsServer([(IPEndPoint)silent.Client.LocalEndPoint!, upstreamEndpoint]) { UpstreamTimeout = TimeSpan.FromMilliseconds(200) };
        var endpoint = server.AddListener("front", IPAddress.Loopback, 0);
        var forwarded = await DnsProbe.UdpAsync(endpoint, "example.test", DnsProbe.A);
        Assert.Equal(0, forwarded.Rcode);
        Assert.Equal([Ip("127.0.0.99")], forwarded.Addresses);
        Assert.Equal(0x1234, await fake);

        server.Upstreams = [(IPEndPoint)silent.Client.LocalEndPoint!];
        Assert.Equal(2, (await DnsProbe.UdpAsync(endpoint, "example.test", DnsProbe.A)).Rcode);
        Assert.Equal(2, (await DnsProbe.TcpAsync(endpoint, "example.test", DnsProbe.A)).Rcode);
    }

    [Fact]
    public async Task Malformed_queries_get_formerr_or_are_dropped()
    {
        using var server = new DnsServer([]);
        var endpoint = server.AddListener("front", IPAddress.Loopback, 0);
        using var client = new UdpClient();
        client.Connect(endpoint);
        // Header claims one question but none follows.
        await client.SendAsync(new byte[] { 0xab, 0xcd, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'a' });
        var reply = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, DnsProbe.Parse(reply.Buffer).Rcode);
        Assert.Equal(0xabcd, DnsProbe.Parse(reply.Buffer).Id);
        // Too short to be DNS: dropped; the server still answers the next query.
        await client.SendAsync(new byte[] { 1, 2, 3 });
        server.Register("front", "web", Ip("10.204.0.2"));
        Assert.Equal([Ip("10.204.0.2")], (await DnsProbe.UdpAsync(endpoint, "web", DnsProbe.A)).Addresses);
    }

    [Fact]
    public void Bad_registrations_and_duplicate_listeners_are_rejected()
    {
        using var server = new DnsServer([]);
        Assert.Equal("invalid DNS name \"bad name\"", Assert.Throws<BerthException>(() => server.Register("n", "bad name", Ip("10.0.0.2"))).Message);
        Assert.Contains("is not IPv4", Assert.Throws<BerthException>(() => server.Register("n", "web", Ip("fd00::2"))).Message);
        server.AddListener("n", IPAddress.Loopback, 0);
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<BerthException>(() => server.AddListener("n", IPAddress.Loopback, 0)).Kind);
        using var taken = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.Client.LocalEndPoint!).Port;
        var e = Assert.Throws<BerthException>(() => server.AddListener("m", IPAddress.Loopback, port));
        Assert.Contains($"DNS listener for network m on 127.0.0.1:{port}", e.Message);
    }

    [Fact]
    public void ResolvConf_reads_nameservers()
    {
        var servers = ResolvConf.ParseNameservers("# comment\nsearch example\nnameserver 10.255.255.53\nnameserver   fd00::1 \nnameserver bogus\noptions ndots:2\n");
        Assert.Equal([new IPEndPoint(Ip("10.255.255.53"), 53), new IPEndPoint(Ip("fd00::1"), 53)], servers);
        Assert.Empty(ResolvConf.ReadNameservers("/nonexistent/resolv.conf"));
    }

    [Fact]
    public void Local_answer_latency_is_measured()
    {
        using var server = new DnsServer([]);
        var endpoint = server.AddListener("front", IPAddress.Loopback, 0);
        server.Register("front", "web", Ip("10.204.0.2"));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(endpoint);
        var query = DnsProbe.Query("web", DnsProbe.A);
        var buffer = new byte[512];
        var samples = new List<double>();
        for (var i = 0; i < 5000; i++)
        {
            var start = Stopwatch.GetTimestamp();
            client.Send(query);
            client.Receive(buffer);
            if (i >= 500) samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        samples.Sort();
        output.WriteLine($"DNS local answer over loopback UDP: p50 {samples[samples.Count / 2]:F0} µs, p99 {samples[(int)(samples.Count * 0.99)]:F0} µs, max {samples[^1]:F0} µs");
    }
}
