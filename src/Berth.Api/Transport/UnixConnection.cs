using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Api;

/// <summary>One accepted unix-socket connection as a Kestrel <see cref="ConnectionContext"/>, with half-close support.</summary>
internal sealed class UnixConnection : ConnectionContext
{
    private readonly Socket _socket;
    private readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false));
    private readonly CancellationTokenSource _closed = new();
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;

    public UnixConnection(Socket socket, EndPoint local, string id)
    {
        _socket = socket;
        ConnectionId = id;
        LocalEndPoint = local;
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId { get; set; }
    public override IFeatureCollection Features { get; } = new FeatureCollection();
    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    public override IDuplexPipe Transport { get; set; }

    public void Start()
    {
        _receiving = ReceiveAsync();
        _sending = SendAsync();
    }

    /// <summary>Header naming the body length of an upgrade request whose body was moved into the upgraded stream.</summary>
    public const string UpgradeBodyHeader = "X-Berth-Upgrade-Body";

    private async Task ReceiveAsync()
    {
        Exception? error = null;
        try
        {
            if (!await ForwardFirstHeadAsync()) { await _input.Writer.CompleteAsync(); return; }
            while (true)
            {
                var memory = _input.Writer.GetMemory(4096);
                int n = await _socket.ReceiveAsync(memory, SocketFlags.None);
                if (n == 0) break; // the client half-closed: input ends, output stays open
                _input.Writer.Advance(n);
                var flush = await _input.Writer.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = e is SocketException se && se.SocketErrorCode == SocketError.ConnectionReset ? new ConnectionResetException(se.Message, se) : null;
        }
        await _input.Writer.CompleteAsync(error);
    }

    /// <summary>
    /// Docker posts exec start as an upgrade request with a JSON body, which Kestrel will not upgrade. For the first
    /// request of a connection (clients dial a new connection for every hijack) such a body is announced as
    /// <see cref="UpgradeBodyHeader"/> and left to be read from the upgraded stream.
    /// </summary>
    private async Task<bool> ForwardFirstHeadAsync()
    {
        var head = new byte[64 * 1024];
        int len = 0, end = -1;
        while (end < 0)
        {
            if (len == head.Length) break;
            int n = await _socket.ReceiveAsync(head.AsMemory(len), SocketFlags.None);
            if (n == 0) { await WriteInput(head.AsMemory(0, len)); return false; }
            len += n;
            end = head.AsSpan(0, len).IndexOf("\r\n\r\n"u8);
        }
        if (end < 0) { await WriteInput(head.AsMemory(0, len)); return true; }
        string text = System.Text.Encoding.Latin1.GetString(head, 0, end);
        var lines = text.Split("\r\n");
        bool upgrade = lines.Any(l => l.StartsWith("upgrade:", StringComparison.OrdinalIgnoreCase));
        int clIndex = Array.FindIndex(lines, l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase));
        if (upgrade && clIndex > 0 && long.TryParse(lines[clIndex][15..].Trim(), out var bodyLength) && bodyLength > 0)
        {
            lines[clIndex] = "Content-Length: 0\r\n" + UpgradeBodyHeader + ": " + bodyLength;
            var rewritten = System.Text.Encoding.Latin1.GetBytes(string.Join("\r\n", lines));
            await WriteInput(rewritten);
            await WriteInput(head.AsMemory(end, len - end));
            return true;
        }
        await WriteInput(head.AsMemory(0, len));
        return true;
    }

    private async Task WriteInput(ReadOnlyMemory<byte> data)
    {
        if (data.Length == 0) return;
        await _input.Writer.WriteAsync(data);
    }

    private async Task SendAsync()
    {
        try
        {
            while (true)
            {
                var result = await _output.Reader.ReadAsync();
                foreach (var segment in result.Buffer)
                    await _socket.SendAsync(segment, SocketFlags.None);
                _output.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the peer is gone
        }
        await _output.Reader.CompleteAsync();
        Close();
    }

    private int _closing;

    private void Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { /* already closed */ }
        _socket.Dispose();
        // Kestrel's callbacks on ConnectionClosed must not run on the send loop's stack.
        ThreadPool.UnsafeQueueUserWorkItem(static c => c._closed.Cancel(), this, preferLocal: false);
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _output.Reader.CancelPendingRead();
        Close();
    }

    public override async ValueTask DisposeAsync()
    {
        await _input.Reader.CompleteAsync();
        await _output.Writer.CompleteAsync();
        try { await _sending; } catch (Exception) { /* logged by nobody: the connection is over */ }
        Close();
        try { await _receiving; } catch (Exception) { /* same */ }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }
}
