namespace Berth.Engine.Volumes;

/// <summary>The persisted description of one volume (a row of kind "volume" in the metadata DB).</summary>
public sealed class VolumeRecord
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "local";
    public DateTimeOffset CreatedAt { get; set; }
    public Dictionary<string, string> Labels { get; set; } = new();
    /// <summary>The local driver's options: type, device, o.</summary>
    public Dictionary<string, string> Options { get; set; } = new();

    /// <summary>Docker 23+ marks volumes made for one container with this label; prune removes only those unless asked for all.</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    public bool Anonymous => Labels.ContainsKey(AnonymousLabel);
}
