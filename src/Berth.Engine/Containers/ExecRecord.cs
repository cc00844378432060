using Berth.Core.EngineApi;

namespace Berth.Engine.Containers;

/// <summary>An exec instance: created by exec create, run once by exec start.</summary>
public sealed class ExecRecord
{
    public string Id { get; set; } = "";
    public string ContainerId { get; set; } = "";
    public ExecCreateRequest Request { get; set; } = new();
    public bool Started { get; set; }
    public bool Running { get; set; }
    public int? ExitCode { get; set; }
    public int Pid { get; set; }
}
