namespace Berth.Runtime.Init;

/// <summary>Finds Args[0] the way Docker does: a name with a slash is used as is, otherwise it is searched in the container's PATH.</summary>
internal static class ExecutableLookup
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static string Find(string name, IReadOnlyList<string> env)
    {
        if (name.Length == 0)
            throw new SetupException(127, "exec: \"\": executable file not found in $PATH");
        if (name.Contains('/'))
        {
            if (!File.Exists(name) && !Directory.Exists(name))
                throw new SetupException(127, $"exec: \"{name}\": stat {name}: no such file or directory");
            return name;
        }
        var path = env.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
        string? notExecutable = null;
        foreach (var dir in path.Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (!File.Exists(candidate))
                continue;
            // For root, access(X_OK) succeeds when any execute bit is set, which is the test Docker's lookup makes.
            if (Native.Libc.access(candidate, 1) == 0)
                return candidate;
            notExecutable ??= candidate;
        }
        if (notExecutable != null)
            throw new SetupException(126, $"exec: \"{name}\": permission denied");
        throw new SetupException(127, $"exec: \"{name}\": executable file not found in $PATH");
    }
}
