using System.Text;

namespace Berth.Runtime.Logging;

/// <summary>Reads a container's json-file log (rotated files included, oldest first) for `docker logs`.</summary>
public static class JsonFileLogReader
{
    private const int MaxRotatedFiles = 1000;
    private static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Writes the selected entries to <paramref name="output"/>, framed in Docker's multiplexed format when
    /// <paramref name="multiplexed"/>, raw otherwise. With Follow, keeps going until <paramref name="containerRunning"/>
    /// returns false and the log is drained, or <paramref name="ct"/> is cancelled (OperationCanceledException).</summary>
    public static async Task ReadAsync(string logPath, LogReadOptions options, Stream output, bool multiplexed,
        Func<bool> containerRunning, CancellationToken ct)
    {
        var emitter = new Emitter(options, output, multiplexed);
        var files = OpenAll(logPath);
        LogLineSplitter? current = null;
        try
        {
            if (files.Count > 0 && LogFileIdentity.OfHandle(files[^1].File.SafeFileHandle) == LogFileIdentity.OfPath(logPath))
                current = files[^1];
            int tail = options.Tail is int t && t >= 0 ? t : -1;
            var ring = tail >= 0 ? new Queue<(byte, byte[], long)>() : null;
            foreach (var file in files)
            {
                while (file.TryReadLine(out var line))
                {
                    if (!emitter.TryParse(line.Span, out var entry))
                        continue;
                    if (emitter.PastUntil(entry.Nanos))
                    {
                        await FlushRing(ring, emitter, ct).ConfigureAwait(false);
                        await output.FlushAsync(ct).ConfigureAwait(false);
                        return;
                    }
                    if (ring is null)
                    {
                        await emitter.EmitAsync(entry, ct).ConfigureAwait(false);
                    }
                    else if (tail > 0)
                    {
                        if (ring.Count == tail)
                            ring.Dequeue();
                        ring.Enqueue(entry);
                    }
                }
            }
            await FlushRing(ring, emitter, ct).ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);
            if (options.Follow)
                await FollowAsync(logPath, current, emitter, output, containerRunning, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (var file in files)
                file.File.Dispose();
        }
    }

    private static async Task FlushRing(Queue<(byte, byte[], long)>? ring, Emitter emitter, CancellationToken ct)
    {
        if (ring is null)
            return;
        while (ring.Count > 0)
            await emitter.EmitAsync(ring.Dequeue(), ct).ConfigureAwait(false);
    }

    private static async Task FollowAsync(string logPath, LogLineSplitter? current, Emitter emitter, Stream output,
        Func<bool> containerRunning, CancellationToken ct)
    {
        LogLineSplitter? opened = null;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                bool running = containerRunning();
                bool progressed = false;
                if (current is not null)
                {
                    if (current.File.Length < current.File.Position)
                        current.Reset(); // truncated in place (max-file 1)
                    var drained = await DrainAsync(current, emitter, ct).ConfigureAwait(false);
                    if (drained is null)
                        break;
                    progressed = drained.Value;
                }
                ulong pathInode = LogFileIdentity.OfPath(logPath);
                if (pathInode != 0 && (current is null || pathInode != LogFileIdentity.OfHandle(current.File.SafeFileHandle)))
                {
                    // Rotated: what was written to the old file before the rename is still readable through our handle.
                    if (current is not null && await DrainAsync(current, emitter, ct).ConfigureAwait(false) is null)
                        break;
                    opened?.File.Dispose();
                    opened = current = new LogLineSplitter(OpenShared(logPath));
                    continue;
                }
                if (progressed)
                    continue;
                if (!running)
                    break;
                await output.FlushAsync(ct).ConfigureAwait(false);
                await Task.Delay(FollowPollInterval, ct).ConfigureAwait(false);
            }
            await output.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            opened?.File.Dispose();
        }
    }

    /// <summary>Emits every complete line available; true when any was read, false when none, null when past Until.</summary>
    private static async Task<bool?> DrainAsync(LogLineSplitter file, Emitter emitter, CancellationToken ct)
    {
        bool any = false;
        while (file.TryReadLine(out var line))
        {
            any = true;
            if (!emitter.TryParse(line.Span, out var entry))
                continue;
            if (emitter.PastUntil(entry.Nanos))
                return null;
            await emitter.EmitAsync(entry, ct).ConfigureAwait(false);
        }
        return any;
    }

    private static List<LogLineSplitter> OpenAll(string logPath)
    {
        var files = new List<LogLineSplitter>();
        int rotated = 0;
        while (rotated < MaxRotatedFiles && File.Exists($"{logPath}.{rotated + 1}"))
            rotated++;
        try
        {
            for (int i = rotated; i >= 1; i--)
            {
                if (TryOpen($"{logPath}.{i}") is { } f)
                    files.Add(new LogLineSplitter(f));
            }
            if (TryOpen(logPath) is { } cur)
                files.Add(new LogLineSplitter(cur));
        }
        catch
        {
            foreach (var f in files)
                f.File.Dispose();
            throw;
        }
        return files;
    }

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return OpenShared(path);
        }
        catch (FileNotFoundException)
        {
            return null; // rotated away between listing and opening
        }
    }

    private static FileStream OpenShared(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);

    /// <summary>Filters entries and writes them in the requested shape.</summary>
    private sealed class Emitter(LogReadOptions options, Stream output, bool multiplexed)
    {
        private readonly long _since = options.Since is { } s ? LogTime.ToNanos(s) : long.MinValue;
        private readonly long _until = options.Until is { } u ? LogTime.ToNanos(u) : long.MaxValue;
        private byte[] _frame = new byte[4096];

        public bool TryParse(ReadOnlySpan<byte> line, out (byte Stream, byte[] Text, long Nanos) entry)
        {
            entry = default;
            if (!JsonLogLine.TryParse(line, out byte stream, out byte[] text, out long nanos))
                return false;
            if (stream == MultiplexedFrame.Stdout ? !options.Stdout : !options.Stderr)
                return false;
            if (nanos < _since)
                return false;
            entry = (stream, text, nanos);
            return true;
        }

        public bool PastUntil(long nanos) => nanos > _until;

        public async ValueTask EmitAsync((byte Stream, byte[] Text, long Nanos) entry, CancellationToken ct)
        {
            int header = multiplexed ? MultiplexedFrame.HeaderSize : 0;
            string? stamp = options.Timestamps ? LogTime.FormatRfc3339NanoFixed(entry.Nanos) + " " : null;
            int stampLength = stamp?.Length ?? 0;
            int total = header + stampLength + entry.Text.Length;
            if (_frame.Length < total)
                _frame = new byte[Math.Max(total, _frame.Length * 2)];
            if (multiplexed)
                MultiplexedFrame.WriteHeader(_frame, entry.Stream, stampLength + entry.Text.Length);
            if (stamp is not null)
                Encoding.ASCII.GetBytes(stamp, _frame.AsSpan(header));
            entry.Text.CopyTo(_frame.AsSpan(header + stampLength));
            await output.WriteAsync(_frame.AsMemory(0, total), ct).ConfigureAwait(false);
        }
    }
}
