using System.Globalization;

namespace Berth.Build.Parser.Instructions;

public static partial class InstructionParser
{
    private static FromInstruction ParseFrom(List<string> args, FlagSet flags)
    {
        string? stageName = null;
        if (args.Count == 3 && args[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            stageName = args[2].ToLowerInvariant();
            if (!StageNamePattern().IsMatch(stageName))
                throw new InstructionException($"invalid name for build stage: \"{args[2]}\", name can't start with a number or contain symbols");
        }
        else if (args.Count != 1)
        {
            throw new InstructionException("FROM requires either one or three arguments");
        }
        flags.AddString("platform");
        flags.Parse();
        string? platform = flags.String("platform");
        return new FromInstruction(args[0], stageName, string.IsNullOrEmpty(platform) ? null : platform);
    }

    private static (List<string> Args, bool PrependShell) CommandLine(Node node, List<string> args)
        => node.IsJson ? (args, false) : (args.Count == 0 ? [] : [string.Join(' ', args)], true);

    private static RunInstruction ParseRun(Node node, List<string> args, FlagSet flags)
    {
        flags.AddStrings("mount");
        flags.AddString("network");
        flags.AddString("security");
        flags.AddStrings("device");
        flags.Parse();
        string network = flags.String("network") ?? "default";
        if (network is not ("default" or "none" or "host"))
            throw new InstructionException($"invalid network mode \"{network}\"");
        string security = flags.String("security") ?? "sandbox";
        if (security is not ("sandbox" or "insecure"))
            throw new InstructionException($"security \"{security}\" is not valid");

        var specs = flags.Strings("mount");
        var mounts = new List<RunMount>(specs.Count);
        foreach (var spec in specs)
        {
            if (FromWithVariable(spec))
                throw new InstructionException("'from' doesn't support variable expansion, define alias stage instead");
            // Values with variables are checked again by the builder after expansion (RunMount.Parse with an expander).
            if (spec.Contains('$'))
            {
                try
                {
                    mounts.Add(RunMount.Parse(spec));
                }
                catch (Core.BerthException)
                {
                    continue;
                }
            }
            else
            {
                mounts.Add(RunMount.Parse(spec));
            }
        }
        var (cmd, prepend) = CommandLine(node, args);
        return new RunInstruction(cmd, prepend, mounts, specs, network, security, flags.Strings("device"), node.Heredocs);
    }

    private static bool FromWithVariable(string spec)
    {
        foreach (var field in spec.Split(','))
        {
            int eq = field.IndexOf('=');
            if (eq < 0 || !field[..eq].Equals("from", StringComparison.OrdinalIgnoreCase)) continue;
            int dollar = field.IndexOf('$', eq + 1);
            if (dollar >= 0 && dollar != field.Length - 1) return true;
        }
        return false;
    }

    private static CmdInstruction ParseCmd(Node node, List<string> args, FlagSet flags)
    {
        flags.Parse();
        var (cmd, prepend) = CommandLine(node, args);
        return new CmdInstruction(cmd, prepend);
    }

    private static EntrypointInstruction ParseEntrypoint(Node node, List<string> args, FlagSet flags)
    {
        flags.Parse();
        var (cmd, prepend) = CommandLine(node, args);
        return new EntrypointInstruction(cmd, prepend);
    }

    private static (List<string> Paths, List<SourceContent> Contents, string Dest) SourcesAndDest(Node node, List<string> args, string keyword)
    {
        string dest = args[^1];
        if (HeredocWords.Parse(dest) != null) throw new InstructionException($"{keyword} cannot accept a heredoc as a destination");
        var byName = new Dictionary<string, Heredoc>();
        foreach (var h in node.Heredocs) byName[h.Name] = h;
        var paths = new List<string>();
        var contents = new List<SourceContent>();
        foreach (var src in args.Take(args.Count - 1))
        {
            var marker = HeredocWords.Parse(src);
            if (marker == null)
            {
                paths.Add(src);
                continue;
            }
            byName.TryGetValue(marker.Name, out var doc);
            string content = doc == null ? "" : (marker with { Content = doc.Content }).EffectiveContent;
            contents.Add(new SourceContent(marker.Name, content, marker.Expand));
        }
        return (paths, contents, dest);
    }

    private static CopyInstruction ParseCopy(Node node, List<string> args, FlagSet flags)
    {
        if (args.Count < 2)
            throw new InstructionException("COPY requires at least two arguments, but only one was provided. Destination could not be determined");
        flags.AddString("chown");
        flags.AddString("from");
        flags.AddString("chmod");
        flags.AddBool("link");
        flags.AddStrings("exclude");
        flags.AddBool("parents");
        flags.Parse();
        var (paths, contents, dest) = SourcesAndDest(node, args, "COPY");
        return new CopyInstruction(paths, contents, dest, NullIfEmpty(flags.String("from")), NullIfEmpty(flags.String("chown")),
            NullIfEmpty(flags.String("chmod")), flags.Bool("link"), flags.Strings("exclude"), flags.Bool("parents"));
    }

    private static AddInstruction ParseAdd(Node node, List<string> args, FlagSet flags)
    {
        if (args.Count < 2)
            throw new InstructionException("ADD requires at least two arguments, but only one was provided. Destination could not be determined");
        flags.AddString("chown");
        flags.AddString("chmod");
        flags.AddBool("link");
        flags.AddBool("keep-git-dir");
        flags.AddString("checksum");
        flags.AddBool("unpack");
        flags.AddStrings("exclude");
        flags.Parse();
        var (paths, contents, dest) = SourcesAndDest(node, args, "ADD");
        return new AddInstruction(paths, contents, dest, NullIfEmpty(flags.String("chown")), NullIfEmpty(flags.String("chmod")),
            flags.Bool("link"), flags.OptionalBool("keep-git-dir"), NullIfEmpty(flags.String("checksum")),
            flags.OptionalBool("unpack"), flags.Strings("exclude"));
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static List<KeyValue> KeyValues(List<string> args, string keyword, FlagSet flags)
    {
        flags.Parse();
        if (args.Count == 0) throw AtLeastOneError(keyword);
        if (args.Count % 3 != 0) throw new InstructionException($"Bad input to {keyword}, too many arguments");
        var pairs = new List<KeyValue>(args.Count / 3);
        for (int i = 0; i < args.Count; i += 3)
        {
            if (args[i].Length == 0) throw new InstructionException($"{keyword} names can not be blank");
            pairs.Add(new KeyValue(args[i], args[i + 1], args[i + 2].Length == 0));
        }
        return pairs;
    }

    private static ArgInstruction ParseArg(List<string> args)
    {
        if (args.Count == 0) throw AtLeastOneError("ARG");
        var defs = new List<ArgDefinition>(args.Count);
        foreach (var a in args)
        {
            int eq = a.IndexOf('=');
            if (eq == 0) throw new InstructionException("ARG names can not be blank");
            defs.Add(eq < 0 ? new ArgDefinition(a, null) : new ArgDefinition(a[..eq], a[(eq + 1)..]));
        }
        return new ArgInstruction(defs);
    }

    private static ExposeInstruction ParseExpose(List<string> args, FlagSet flags)
    {
        if (args.Count == 0) throw AtLeastOneError("EXPOSE");
        flags.Parse();
        var ports = args.ToList();
        ports.Sort(StringComparer.Ordinal);
        return new ExposeInstruction(ports);
    }

    private static VolumeInstruction ParseVolume(List<string> args, FlagSet flags)
    {
        if (args.Count == 0) throw AtLeastOneError("VOLUME");
        flags.Parse();
        var paths = new List<string>(args.Count);
        foreach (var v in args)
        {
            string p = Shell.GoText.TrimSpace(v);
            if (p.Length == 0) throw new InstructionException("VOLUME specified can not be an empty string");
            paths.Add(p);
        }
        return new VolumeInstruction(paths);
    }

    private static OnbuildInstruction ParseOnbuild(Node node, List<string> args, FlagSet flags)
    {
        if (args.Count == 0) throw AtLeastOneError("ONBUILD");
        flags.Parse();
        string trigger = args[0].Trim().ToUpperInvariant();
        if (trigger == "ONBUILD") throw new InstructionException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        if (trigger is "MAINTAINER" or "FROM") throw new InstructionException($"{trigger} isn't allowed as an ONBUILD trigger");
        string expression = OnbuildPrefix().Replace(node.Original, "", 1);
        foreach (var h in node.Heredocs) expression += "\n" + h.Content + h.Name;
        // Here-documents hang on the ONBUILD node; the trigger needs them to build its own instruction.
        var inner = node.Next!.Children[0];
        var triggerNode = new Node { Value = inner.Value, Next = inner.Next, Flags = inner.Flags, IsJson = inner.IsJson, Original = inner.Original };
        triggerNode.Heredocs.AddRange(node.Heredocs);
        var parsedTrigger = ParseCore(triggerNode) with { StartLine = node.StartLine, EndLine = node.EndLine, Original = expression };
        return new OnbuildInstruction(expression, parsedTrigger);
    }

    private static HealthcheckInstruction ParseHealthcheck(Node node, List<string> args, FlagSet flags)
    {
        if (args.Count == 0) throw AtLeastOneError("HEALTHCHECK");
        string type = args[0].ToUpperInvariant();
        var rest = args.Skip(1).ToList();
        if (type == "NONE")
        {
            if (rest.Count != 0) throw new InstructionException("HEALTHCHECK NONE takes no arguments");
            return new HealthcheckInstruction(["NONE"], TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0);
        }
        string[] names = ["interval", "timeout", "start-period", "start-interval", "retries"];
        foreach (var n in names) flags.AddString(n);
        flags.Parse();
        if (type != "CMD") throw new InstructionException($"Unknown type \"{type}\" in HEALTHCHECK (try CMD)");
        var (cmd, prepend) = CommandLine(node, rest);
        if (cmd.Count == 0) throw new InstructionException("Missing command after HEALTHCHECK CMD");
        var test = new List<string> { prepend ? "CMD-SHELL" : "CMD" };
        test.AddRange(cmd);

        int retries = 0;
        string? r = flags.String("retries");
        if (!string.IsNullOrEmpty(r))
        {
            if (!int.TryParse(r, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out retries))
                throw new InstructionException($"strconv.ParseInt: parsing \"{r}\": invalid syntax");
            if (retries < 0) throw new InstructionException($"--retries cannot be negative ({retries})");
        }
        return new HealthcheckInstruction(test, Interval(flags, "interval"), Interval(flags, "timeout"),
            Interval(flags, "start-period"), Interval(flags, "start-interval"), retries);
    }

    private static TimeSpan Interval(FlagSet flags, string name)
    {
        string? s = flags.String(name);
        if (string.IsNullOrEmpty(s)) return TimeSpan.Zero;
        if (!GoDuration.TryParse(s, out var d)) throw new InstructionException($"time: invalid duration \"{s}\" for --{name}");
        if (d == TimeSpan.Zero) return d;
        if (d < TimeSpan.FromMilliseconds(1)) throw new InstructionException($"Interval \"{name}\" cannot be less than 1ms");
        return d;
    }

    private static ShellInstruction ParseShell(Node node, List<string> args, FlagSet flags)
    {
        flags.Parse();
        if (args.Count == 0) throw AtLeastOneError("SHELL");
        if (!node.IsJson) throw new InstructionException("SHELL requires the arguments to be in JSON form");
        return new ShellInstruction(args);
    }
}
