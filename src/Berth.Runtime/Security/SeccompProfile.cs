using System.Text.Json.Serialization;

namespace Berth.Runtime.Security;

/// <summary>A seccomp profile in Docker's JSON format (the shape of its default profile).</summary>
public sealed class SeccompProfile
{
    public string DefaultAction { get; set; } = "SCMP_ACT_ERRNO";
    public uint? DefaultErrnoRet { get; set; }
    public List<SeccompRule> Syscalls { get; set; } = new();

    /// <summary>Docker's default profile, embedded in the binary.</summary>
    public static SeccompProfile Default()
    {
        using var stream = typeof(SeccompProfile).Assembly.GetManifestResourceStream("seccomp-default.json")
            ?? throw new InvalidOperationException("embedded resource seccomp-default.json is missing");
        return System.Text.Json.JsonSerializer.Deserialize(stream, SeccompJson.Default.SeccompProfile)
            ?? throw new InvalidOperationException("embedded seccomp-default.json is empty");
    }
}

/// <summary>One rule: the syscalls it names, what to do, and when it applies.</summary>
public sealed class SeccompRule
{
    public List<string> Names { get; set; } = new();
    public string Action { get; set; } = "";
    public uint? ErrnoRet { get; set; }
    public List<SeccompArg>? Args { get; set; }
    public SeccompFilterCondition? Includes { get; set; }
    public SeccompFilterCondition? Excludes { get; set; }
}

/// <summary>An argument comparison; for SCMP_CMP_MASKED_EQ, Value is the mask and ValueTwo the expected result.</summary>
public sealed class SeccompArg
{
    public int Index { get; set; }
    public ulong Value { get; set; }
    public ulong ValueTwo { get; set; }
    public string Op { get; set; } = "";
}

/// <summary>Rule applicability by capabilities, architectures and minimum kernel.</summary>
public sealed class SeccompFilterCondition
{
    public List<string>? Caps { get; set; }
    public List<string>? Arches { get; set; }
    public string? MinKernel { get; set; }
}

/// <summary>Source-generated JSON for seccomp profiles.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SeccompProfile))]
public partial class SeccompJson : JsonSerializerContext
{
}
