using System.Text.Json;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>Prints a JSON progress stream (pull, load, import) as plain lines; an error message in the stream ends it.</summary>
internal static class ProgressPrinter
{
    /// <summary>Prints each message; returns the last aux/status lines' image IDs seen ("Loaded image: …").</summary>
    public static async Task PrintAsync(Stream body, TextWriter output)
    {
        await foreach (var m in EngineClient.ReadJsonLinesAsync(body, EngineApiJson.Default.JsonMessage).ConfigureAwait(false))
        {
            if (m.Error != null || m.ErrorDetail?.Message != null) throw new ProgressException(m.ErrorDetail?.Message ?? m.Error!);
            if (m.Stream != null) output.Write(m.Stream);
            else if (m.Status != null)
            {
                output.Write(m.Id != null ? m.Id + ": " + m.Status : m.Status);
                if (m.Progress != null) output.Write(" " + m.Progress);
                output.WriteLine();
            }
            else if (m.Aux is { ValueKind: JsonValueKind.Object } aux && aux.TryGetProperty("ID", out var id))
                output.WriteLine(id.GetString());
            await output.FlushAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>An error reported inside a JSON progress stream.</summary>
internal sealed class ProgressException(string message) : Exception(message);
