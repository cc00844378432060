using System.Text.Json.Serialization;
using Berth.Core;

namespace Berth.Runtime.Monitor;

/// <summary>Source-generated JSON metadata for the monitor's files and socket protocol.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(MonitorConfig))]
[JsonSerializable(typeof(MonitorState))]
[JsonSerializable(typeof(ExitRecord))]
[JsonSerializable(typeof(MonitorRequest))]
[JsonSerializable(typeof(MonitorReply))]
[JsonSerializable(typeof(ErrorKind))]
public partial class MonitorJson : JsonSerializerContext
{
}
