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
        var lines = new List<string>();              // ids with a line on the terminal, top to bottom
        var lastStatus = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var m in EngineClient.ReadJsonLinesAsync(body, EngineApiJson.Default.JsonMessage).ConfigureAwait(false))
        {
            if (m.Error != null || m.ErrorDetail?.Message != null) throw new ProgressException(m.ErrorDetail?.Message ?? m.Error!);
            if (m.Stream != null) output.Write(m.Stream);
            else if (m.Status != null && m.Id != null && terminal) WriteInPlace(output, lines, m);
            else if (m.Status != null)
            {
                if (m.Id != null)
                {
                    if (lastStatus.TryGetValue(m.Id, out var seen) && seen == m.Status) continue;
                    lastStatus[m.Id] = m.Status;
                }
                output.WriteLine(m.Id != null ? m.Id + ": " + m.Status : m.Status);
                if (m.Id == null) lines.Clear(); // lines above it are no longer rewritten
            }
            else if (m.Aux is { ValueKind: JsonValueKind.Object } aux && aux.TryGetProperty("ID", out var id))
                output.WriteLine(id.GetString());
            await output.FlushAsync().ConfigureAwait(false);
        }
    }

    // Docker's rendering: a new id appends a line; an update moves the cursor up to that id's line, rewrites it and comes back.
    private static void WriteInPlace(TextWriter output, List<string> lines, JsonMessage m)
    {
        string text = m.Id + ": " + m.Status + (m.Progress != null ? " " + m.Progress : "");
        int index = lines.IndexOf(m.Id!);
        if (index < 0)
        {
            lines.Add(m.Id!);
            output.Write(text + "\n");
            return;
        }
        int up = lines.Count - index;
        output.Write($"\x1b[{up}A\r\x1b[2K{text}\x1b[{up}B\r");
    }
}

/// <summary>An error reported inside a JSON progress stream.</summary>
internal sealed class ProgressException(string message) : Exception(message);
