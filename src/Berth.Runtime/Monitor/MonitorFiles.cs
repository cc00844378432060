using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Core;

namespace Berth.Runtime.Monitor;

/// <summary>Reads and atomically writes the JSON files in a container's state dir.</summary>
public static class MonitorFiles
{
    /// <summary>Writes to a temp file and renames it over <paramref name="path"/>, so readers never see half a file.</summary>
    public static void Write<T>(string path, T value, JsonTypeInfo<T> type)
    {
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(value, type));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a state-dir file; null when absent.</summary>
    /// <exception cref="BerthException">The file is not valid JSON of the expected shape.</exception>
    public static T? Read<T>(string path, JsonTypeInfo<T> type) where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw BerthException.Invalid($"{path}: empty JSON document");
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"{path}: invalid JSON: {e.Message}");
        }
    }

    /// <summary>Runs the (de)serializers a start uses once on empty documents, so a standby monitor has them ready.</summary>
    internal static void Warm()
    {
        JsonSerializer.Deserialize("{}"u8, MonitorJson.Default.MonitorConfig);
        JsonSerializer.Deserialize("{}"u8, Spec.RuntimeJson.Default.ContainerSpec);
        JsonSerializer.SerializeToUtf8Bytes(new MonitorState(), MonitorJson.Default.MonitorState);
    }

    /// <summary>The exit record of a container whose monitor has finished; null while it runs (or when it never started a monitor).</summary>
    public static ExitRecord? ReadExit(string stateDir) => Read(Path.Combine(stateDir, ExitRecord.FileName), MonitorJson.Default.ExitRecord);

    /// <summary>state.json: the monitor and container pids once started.</summary>
    public static MonitorState? ReadState(string stateDir) => Read(Path.Combine(stateDir, MonitorState.FileName), MonitorJson.Default.MonitorState);
}
