using System.Text.Json;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>
/// Prints a JSON progress stream (pull, push, load, import). On a terminal each layer keeps one line that is rewritten in place,
/// as docker does; otherwise a line is printed only when a layer's status changes, without byte counts. An error message in
/// the stream ends it.
/// </summary>
internal static class ProgressPrinter
{
    public static async Task PrintAsync(Stream body, TextWriter output, bool terminal = false)
    {
        var status = new StatusLines(output, terminal);
        await foreach (var m in EngineClient.ReadJsonLinesAsync(body, EngineApiJson.Default.JsonMessage).ConfigureAwait(false))
        {
            if (m.Error != null || m.ErrorDetail?.Message != null) throw new ProgressException(m.ErrorDetail?.Message ?? m.Error!);
            if (m.Stream != null) output.Write(m.Stream);
            else if (m.Status != null) status.Write(m);
            else if (m.Aux is { ValueKind: JsonValueKind.Object } aux && aux.TryGetProperty("ID", out var id))
                output.WriteLine(id.GetString());
            await output.FlushAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>The status messages of a transfer: one line per layer, rewritten in place on a terminal, else printed on each change.</summary>
internal sealed class StatusLines(TextWriter output, bool terminal)
{
    private readonly List<string> _lines = new();              // ids with a line on the terminal, top to bottom
    private readonly Dictionary<string, string> _lastStatus = new(StringComparer.Ordinal);

    public void Write(JsonMessage m)
    {
        if (m.Id != null && terminal)
        {
            WriteInPlace(m);
            return;
        }
        if (m.Id != null)
        {
            if (_lastStatus.TryGetValue(m.Id, out var seen) && seen == m.Status) return;
            _lastStatus[m.Id] = m.Status!;
        }
        output.WriteLine(m.Id != null ? m.Id + ": " + m.Status : m.Status);
        if (m.Id == null) Reset();
    }

    /// <summary>Other output was written: the lines above it are no longer rewritten.</summary>
    public void Reset() => _lines.Clear();

    // Docker's rendering: a new id appends a line; an update moves the cursor up to that id's line, rewrites it and comes back.
    private void WriteInPlace(JsonMessage m)
    {
        string text = m.Id + ": " + m.Status + (m.Progress != null ? " " + m.Progress : "");
        int index = _lines.IndexOf(m.Id!);
        if (index < 0)
        {
            _lines.Add(m.Id!);
            output.Write(text + "\n");
            return;
        }
        int up = _lines.Count - index;
        output.Write($"\x1b[{up}A\r\x1b[2K{text}\x1b[{up}B\r");
    }
}

/// <summary>An error reported inside a JSON progress stream.</summary>
internal sealed class ProgressException(string message) : Exception(message);
