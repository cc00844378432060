namespace Berth.Api;

/// <summary>Berth's own version, reported by /version and the Server header.</summary>
public static class EngineVersion
{
    public const string Version = "0.1.0";
}
