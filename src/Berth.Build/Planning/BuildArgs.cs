using System.Runtime.InteropServices;
using Berth.Build.Parser.Instructions;
using Berth.Build.Shell;
using Berth.Core;

namespace Berth.Build.Planning;

/// <summary>
/// The build arguments of one build: values given with --build-arg, the meta ARGs declared before the first FROM, the
/// predefined proxy and platform ARGs, and which of them a stage has declared (each stage starts with none in scope).
/// </summary>
public sealed class BuildArgs
{
    /// <summary>ARGs every build accepts without an ARG line; kept out of history and cache keys as Docker does.</summary>
    public static readonly IReadOnlySet<string> ProxyArgs = new HashSet<string>(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    private readonly IReadOnlyDictionary<string, string?> _given;
    private readonly Dictionary<string, string> _meta = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    /// <param name="given">--build-arg values; a null value means "declared but unset".</param>
    public BuildArgs(IReadOnlyDictionary<string, string?> given, IReadOnlyList<ArgInstruction> metaArgs, ShellLex lex)
    {
        _given = given;
        foreach (var (k, v) in PlatformArgs()) _meta[k] = v;
        foreach (var arg in metaArgs)
        {
            foreach (var def in arg.Args)
            {
                string? value = Given(def.Name) ?? (def.Default == null ? null : lex.ProcessWord(def.Default, _meta));
                if (value != null) _meta[def.Name] = value;
                else _meta.Remove(def.Name);
                MetaDeclared.Add(def.Name);
            }
        }
    }

    /// <summary>Names declared by meta ARGs (before the first FROM).</summary>
    public HashSet<string> MetaDeclared { get; } = new(StringComparer.Ordinal);

    /// <summary>The values FROM lines expand with: meta ARGs and the platform ARGs.</summary>
    public IReadOnlyDictionary<string, string> Meta => _meta;

    /// <summary>TARGETPLATFORM, BUILDPLATFORM and friends for this host (builds target the host platform).</summary>
    public static IEnumerable<KeyValuePair<string, string>> PlatformArgs()
    {
        string arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            Architecture.X86 => "386",
            Architecture.S390x => "s390x",
            Architecture.Ppc64le => "ppc64le",
            Architecture.RiscV64 => "riscv64",
            var a => a.ToString().ToLowerInvariant(),
        };
        foreach (string prefix in new[] { "TARGET", "BUILD" })
        {
            yield return new(prefix + "PLATFORM", "linux/" + arch);
            yield return new(prefix + "OS", "linux");
            yield return new(prefix + "ARCH", arch);
            yield return new(prefix + "VARIANT", "");
        }
    }

    /// <summary>The --build-arg value for <paramref name="name"/>, marking it consumed.</summary>
    public string? Given(string name)
    {
        if (!_given.TryGetValue(name, out var v)) return null;
        _consumed.Add(name);
        return v;
    }

    /// <summary>Declares an ARG inside a stage: the --build-arg value, else the expanded default, else the meta value of that name.</summary>
    public void Declare(ArgDefinition def, StageArgs scope, ShellLex lex, IReadOnlyDictionary<string, string> expansionEnv)
    {
        string? value = Given(def.Name);
        if (value == null && def.Default != null) value = lex.ProcessWord(def.Default, expansionEnv);
        if (value == null && _meta.TryGetValue(def.Name, out var meta) && (MetaDeclared.Contains(def.Name) || IsPlatformArg(def.Name))) value = meta;
        scope.Set(def.Name, value);
    }

    /// <summary>Proxy ARGs given with --build-arg: they reach RUN without being declared.</summary>
    public IEnumerable<KeyValuePair<string, string>> GivenProxyArgs() =>
        _given.Where(kv => ProxyArgs.Contains(kv.Key) && kv.Value != null).Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value!));

    /// <summary>--build-arg names no ARG line used (Docker warns about them).</summary>
    public IReadOnlyList<string> Unconsumed() =>
        _given.Keys.Where(k => !_consumed.Contains(k) && !ProxyArgs.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();

    private static bool IsPlatformArg(string name) => name.StartsWith("TARGET", StringComparison.Ordinal) || name.StartsWith("BUILD", StringComparison.Ordinal);

    /// <summary>Parses "KEY=VALUE" or "KEY" (unset) pairs, as --build-arg gives them.</summary>
    public static Dictionary<string, string?> ParsePairs(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string p in pairs)
        {
            int eq = p.IndexOf('=');
            string key = eq < 0 ? p : p[..eq];
            if (key.Length == 0) throw BerthException.Invalid($"invalid build argument \"{p}\": the name is empty");
            result[key] = eq < 0 ? null : p[(eq + 1)..];
        }
        return result;
    }
}
