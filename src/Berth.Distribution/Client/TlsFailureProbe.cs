using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Net.Sockets;
using System.Text;

namespace Berth.Distribution;

/// <summary>
/// Tells why a TLS handshake with a registry failed (.NET's own message says only that it did): one more handshake that
/// keeps the server's first bytes and the certificate check's verdict. A plain-HTTP server is recognised by its answer, so
/// no plain request goes to a registry that is not insecure.
/// </summary>
internal static class TlsFailureProbe
{
    /// <summary>Why <paramref name="host"/>:<paramref name="port"/> fails TLS, in words a user can act on; null when the probe cannot tell.</summary>
    public static async Task<string?> DiagnoseAsync(string host, int port, X509ChainPolicy? policy, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            var recorder = new FirstBytes(tcp.GetStream());
            string? verdict = null;
            await using var ssl = new SslStream(recorder, leaveInnerStreamOpen: true, (_, cert, chain, errors) =>
            {
                verdict = Verdict(host, cert, chain, errors, policy);
                return false; // enough is known; a probe never goes on to talk
            });
            try
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
            {
                // Expected: what the server sent, or what the check said, tells why.
            }
            if (recorder.Head.StartsWith("HTTP/", StringComparison.Ordinal)) return "the server gave an HTTP response to an HTTPS client";
            return verdict;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>True when the server answers a TLS client hello with an HTTP response.</summary>
    public static async Task<bool> AnswersTlsWithHttpAsync(string host, int port, CancellationToken ct) =>
        await DiagnoseAsync(host, port, null, ct).ConfigureAwait(false) == "the server gave an HTTP response to an HTTPS client";

    private static string? Verdict(string host, X509Certificate? cert, X509Chain? chain, SslPolicyErrors errors, X509ChainPolicy? policy)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || cert == null) return "the server sent no certificate";
        var problems = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) problems.Add($"the certificate is not for {host} (subject {cert.Subject})");
        if (policy != null)
        {
            // The registry's own CAs decide, as in the real request.
            using var own = new X509Chain { ChainPolicy = policy.Clone() };
            using var leaf = new X509Certificate2(cert);
            if (!own.Build(leaf)) problems.Add("the certificate is not signed by a CA in the registry's certs.d directory (" + Flags(own) + ")");
        }
        else if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chain != null)
        {
            problems.Add($"the certificate of {cert.Subject} is not trusted ({Flags(chain)})");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static string Flags(X509Chain chain) =>
        string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());

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
