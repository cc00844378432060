namespace Berth.Integration.Tests;

/// <summary>A daemon of the network tests' own (its own bridge, subnets and firewall table), with a loopback DNS upstream.</summary>
public sealed class NetworkFixture : IDisposable
{
    public NetworkFixture()
    {
        Upstream = new FakeDnsUpstream();
        Daemon = new BerthDaemon(["--dns", Upstream.Address.ToString()]);
        var r = Daemon.Berth("image", "bootstrap");
        if (r.ExitCode != 0) throw new InvalidOperationException("berth image bootstrap failed: " + r);
    }

    public BerthDaemon Daemon { get; }

    /// <summary>A DNS server on a loopback address that answers every A query with 10.1.2.3.</summary>
    public FakeDnsUpstream Upstream { get; }

    public void Dispose()
    {
        Daemon.Dispose();
        Upstream.Dispose();
    }
}

/// <summary>A minimal DNS responder on 127.x.y.z:53: every A query gets one answer, 10.1.2.3.</summary>
public sealed class FakeDnsUpstream : IDisposable
{
    private readonly System.Net.Sockets.UdpClient _udp;
    private readonly CancellationTokenSource _stop = new();

    public FakeDnsUpstream()
    {
        Address = new System.Net.IPAddress([127, 53, (byte)Random.Shared.Next(1, 250), (byte)Random.Shared.Next(1, 250)]);
        _udp = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(Address, 53));
        _ = Task.Run(ServeAsync);
    }

    public System.Net.IPAddress Address { get; }

    public int Queries;

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            System.Net.Sockets.UdpReceiveResult req;
            try { req = await _udp.ReceiveAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref Queries);
            var reply = req.Buffer.ToList();
            reply[2] = 0x81;
            reply[3] = 0x80;
            reply[7] = 1;
            reply.AddRange([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3]);
            try { await _udp.SendAsync(reply.ToArray(), req.RemoteEndPoint); } catch (Exception) { /* client gone */ }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
    }
}
