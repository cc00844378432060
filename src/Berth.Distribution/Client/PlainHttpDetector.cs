using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Berth.Distribution;

/// <summary>
/// Tells why a TLS handshake with a registry failed when the reason is that it speaks plain HTTP: one more TLS handshake
/// whose first bytes from the server are kept, so no plain-HTTP request goes to a registry that is not insecure.
/// </summary>
internal static class PlainHttpDetector
{
    /// <summary>True when the server at <paramref name="host"/>:<paramref name="port"/> answers a TLS client hello with an HTTP response.</summary>
    public static async Task<bool> AnswersTlsWithHttpAsync(string host, int port, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            var recorder = new FirstBytes(tcp.GetStream());
            await using var ssl = new SslStream(recorder, leaveInnerStreamOpen: true, (_, _, _, _) => true);
            try
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
            {
                // Expected for a plain-HTTP server; what it sent decides.
            }
            return recorder.Head.StartsWith("HTTP/", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Passes reads and writes through and keeps the first bytes read.</summary>
    private sealed class FirstBytes(Stream inner) : Stream
    {
        private readonly byte[] _head = new byte[5];
        private int _kept;

        public string Head => Encoding.ASCII.GetString(_head, 0, _kept);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            int n = await inner.ReadAsync(buffer, ct).ConfigureAwait(false);
            Keep(buffer.Span[..n]);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            Keep(buffer.AsSpan(offset, n));
            return n;
        }

        private void Keep(ReadOnlySpan<byte> read)
        {
            int take = Math.Min(read.Length, _head.Length - _kept);
            read[..take].CopyTo(_head.AsSpan(_kept));
            _kept += take;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => inner.WriteAsync(buffer, ct);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override void Flush() => inner.Flush();
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
