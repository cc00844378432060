using System.Text.Json.Serialization;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Exec;

/// <summary>What "berth __exec" reads: the container's spec (for its security settings) and the process to run.</summary>
public sealed class ExecRequest
{
    public ContainerSpec Container { get; set; } = new();
    public ProcessSpec Process { get; set; } = new();
}

/// <summary>Source-generated JSON for <see cref="ExecRequest"/>.</summary>
[JsonSerializable(typeof(ExecRequest))]
public partial class ExecJson : JsonSerializerContext
{
}
