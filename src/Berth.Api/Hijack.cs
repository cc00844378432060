using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Api;

/// <summary>Docker's hijacked connections: upgrade the HTTP connection to a raw stream and bridge it to a container stream.</summary>
public static class Hijack
{
    public const string RawStream = "application/vnd.docker.raw-stream";
    public const string MultiplexedStream = "application/vnd.docker.multiplexed-stream";

    /// <summary>Upgrades when the client asked for it (101), otherwise answers 200 and streams the body.</summary>
    public static async Task<Stream> OpenAsync(HttpContext ctx, bool tty)
    {
        var upgrade = ctx.Features.Get<IHttpUpgradeFeature>();
        ctx.Response.ContentType = tty ? RawStream : MultiplexedStream;
        if (upgrade is { IsUpgradableRequest: true })
        {
            ctx.Response.Headers.Connection = "Upgrade";
            ctx.Response.Headers.Upgrade = "tcp";
            return await upgrade.UpgradeAsync();
        }
        ctx.Response.StatusCode = 200;
        await ctx.Response.StartAsync();
        return new DuplexResponse(ctx.Request.Body, ctx.Response.Body);
    }

    /// <summary>Copies both ways until the container side ends; the client's end of input half-closes the container side.</summary>
    public static async Task BridgeAsync(Stream client, Stream container, CancellationToken ct)
    {
        var toClient = CopyAsync(container, client, ct);
        var toContainer = Task.Run(async () =>
        {
            try
            {
                await client.CopyToAsync(container, 32 * 1024, ct);
            }
            catch (Exception) { /* the client went away */ }
            if (container is NetworkStream ns)
            {
                try { ns.Socket.Shutdown(SocketShutdown.Send); } catch (Exception) { /* already closed */ }
            }
        }, CancellationToken.None);
        await toClient;
        try { await client.FlushAsync(ct); } catch (Exception) { /* client gone */ }
        await container.DisposeAsync();
        await client.DisposeAsync();
        _ = toContainer; // ends on its own once the client side is closed; its errors are swallowed inside
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buf = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buf, ct)) > 0)
            {
                await to.WriteAsync(buf.AsMemory(0, n), ct);
                await to.FlushAsync(ct);
            }
        }
        catch (Exception) { /* either side closed */ }
    }

    /// <summary>A request body and response body seen as one duplex stream (attach without upgrade).</summary>
    private sealed class DuplexResponse(Stream input, Stream output) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => output.Flush();
        public override Task FlushAsync(CancellationToken ct) => output.FlushAsync(ct);
        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => input.ReadAsync(buffer, ct);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => output.WriteAsync(buffer, ct);
    }
}
