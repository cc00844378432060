using Berth.Core.EngineApi;
using Berth.Distribution;

namespace Berth.Engine.Images;

/// <summary>
/// Turns pull and push progress into Docker's JSON progress messages (status, id, progressDetail, progress bar), sending byte
/// counts for one layer at most every 100 ms so a fast loopback transfer does not flood the stream.
/// </summary>
internal sealed class TransferProgress(Action<JsonMessage> emit) : IProgress<PullProgress>, IProgress<PushProgress>
{
    private const long IntervalMs = 100;
    private readonly Dictionary<string, long> _lastBytes = new(StringComparer.Ordinal);

    public void Report(PullProgress value) => Emit(value.Id, value.Status, value.Current, value.Total);

    public void Report(PushProgress value) => Emit(value.Id, value.Status, value.Current, value.Total);

    public void Status(string status) => emit(new JsonMessage { Status = status });

    private void Emit(string id, string status, long current, long total)
    {
        bool bytes = status is "Downloading" or "Pushing" or "Extracting";
        lock (_lastBytes)
        {
            if (bytes && current < total)
            {
                long now = Environment.TickCount64;
                if (_lastBytes.TryGetValue(id, out long last) && now - last < IntervalMs) return;
                _lastBytes[id] = now;
            }
            var m = new JsonMessage { Status = status, Id = id.Length > 0 ? id : null };
            if (bytes)
            {
                m.ProgressDetail = new ProgressDetail { Current = current, Total = total > 0 ? total : null };
                m.Progress = Bar(current, total);
            }
            else if (id.Length > 0)
            {
                m.ProgressDetail = new ProgressDetail();
            }
            emit(m);
        }
    }

    /// <summary>"[=====>      ]  1.2MB/4.5MB", the text older clients print.</summary>
    internal static string Bar(long current, long total)
    {
        const int width = 50;
        if (total <= 0) return HumanUnits.Size(current);
        int filled = (int)Math.Clamp(current * width / total, 0, width);
        string bar = "[" + new string('=', filled) + (filled < width ? ">" + new string(' ', width - filled - 1) : "") + "]";
        return $"{bar} {HumanUnits.Size(current),7}/{HumanUnits.Size(total)}";
    }
}
