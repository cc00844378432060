namespace Berth.Cli.Parsing;

/// <summary>Parses arguments like Go's pflag: --name=value, --name value, -abc, -e=X, -eX, "--" ends flags; optionally stops at the first positional (docker run IMAGE CMD -l …).</summary>
public static class FlagParser
{
    public static ParsedFlags Parse(IReadOnlyList<Flag> flags, IReadOnlyList<string> args, bool interspersed)
    {
        var byName = new Dictionary<string, Flag>(StringComparer.Ordinal);
        var byShort = new Dictionary<char, Flag>();
        foreach (var f in flags)
        {
            byName[f.Name] = f;
            if (f.Shorthand is { } s) byShort[s] = f;
        }
        var result = new ParsedFlags(byName);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--")
            {
                for (int j = i + 1; j < args.Count; j++) result.Args.Add(args[j]);
                break;
            }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                string body = a[2..];
                int eq = body.IndexOf('=');
                string name = eq >= 0 ? body[..eq] : body;
                if (!byName.TryGetValue(name, out var flag)) throw new UsageException("unknown flag: --" + name);
                if (flag.Kind == FlagKind.Bool) result.Set(flag, eq >= 0 ? CheckBool(flag, body[(eq + 1)..]) : "true");
                else if (eq >= 0) result.Set(flag, body[(eq + 1)..]);
                else if (i + 1 < args.Count) result.Set(flag, args[++i]);
                else throw new UsageException("flag needs an argument: --" + name);
                continue;
            }
            if (a.Length > 1 && a[0] == '-')
            {
                for (int k = 1; k < a.Length; k++)
                {
                    char c = a[k];
                    if (!byShort.TryGetValue(c, out var flag)) throw new UsageException($"unknown shorthand flag: '{c}' in {a}");
                    if (flag.Kind == FlagKind.Bool)
                    {
                        if (k + 1 < a.Length && a[k + 1] == '=')
                        {
                            result.Set(flag, CheckBool(flag, a[(k + 2)..]));
                            break;
                        }
                        result.Set(flag, "true");
                        continue;
                    }
                    string rest = a[(k + 1)..];
                    if (rest.StartsWith('=')) rest = rest[1..];
                    if (rest.Length > 0 || k + 1 < a.Length) result.Set(flag, rest);
                    else if (i + 1 < args.Count) result.Set(flag, args[++i]);
                    else throw new UsageException($"flag needs an argument: '{c}' in -{c}");
                    break;
                }
                continue;
            }
            result.Args.Add(a);
            if (!interspersed)
            {
                for (int j = i + 1; j < args.Count; j++) result.Args.Add(args[j]);
                break;
            }
        }
        return result;
    }

    private static string CheckBool(Flag flag, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => "true",
        "0" or "f" or "F" or "false" or "FALSE" or "False" => "false",
        _ => throw new UsageException($"invalid argument \"{value}\" for \"{flag.Display}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"),
    };
}
