namespace Berth.Cli.Parsing;

/// <summary>Reads --env-file and --label-file: one entry a line, '#' comments, bare names taken from the environment (env files only).</summary>
public static class KeyValueFiles
{
    public static List<string> ReadEnvFile(string path) => Read(path, fromEnvironment: true);

    public static List<string> ReadLabelFile(string path) => Read(path, fromEnvironment: false);

    private static List<string> Read(string path, bool fromEnvironment)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (FileNotFoundException) { throw new UsageException($"open {path}: no such file or directory"); }
        catch (DirectoryNotFoundException) { throw new UsageException($"open {path}: no such file or directory"); }
        catch (UnauthorizedAccessException) { throw new UsageException($"open {path}: permission denied"); }
        catch (IOException e) { throw new UsageException($"open {path}: {e.Message}"); }
        var result = new List<string>();
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.TrimStart();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int eq = line.IndexOf('=');
            string name = eq < 0 ? line : line[..eq];
            if (fromEnvironment && name.Any(char.IsWhiteSpace))
                throw new UsageException($"variable '{name}' contains whitespaces (in {path}, line {number})");
            if (name.Length == 0) throw new UsageException($"no variable name on line '{raw}' (in {path}, line {number})");
            if (eq < 0 && fromEnvironment)
            {
                if (Environment.GetEnvironmentVariable(name) is { } value) result.Add(name + "=" + value);
                continue;
            }
            result.Add(line);
        }
        return result;
    }

    /// <summary>-e NAME without '=' takes NAME's value from the local environment, and is dropped when unset.</summary>
    public static string? ResolveEnv(string entry)
    {
        if (entry.Contains('=')) return entry;
        if (entry.Length == 0) throw new UsageException("invalid environment variable: empty name");
        return Environment.GetEnvironmentVariable(entry) is { } v ? entry + "=" + v : null;
    }
}
