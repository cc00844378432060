using System.Globalization;
using Berth.Core.EngineApi;

namespace Berth.Cli.Parsing;

/// <summary>Parses --mount type=bind|volume|tmpfs|image,source=…,target=…,readonly,… into a Mount.</summary>
public static class MountSpec
{
    public static Mount Parse(string spec)
    {
        var m = new Mount { Type = "volume" };
        foreach (string field in spec.Split(','))
        {
            if (field.Length == 0) continue;
            int eq = field.IndexOf('=');
            string key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            string? value = eq < 0 ? null : field[(eq + 1)..];
            if (value == null && key is not ("readonly" or "ro" or "volume-nocopy" or "bind-nonrecursive"))
                throw new UsageException($"invalid argument \"{spec}\" for \"--mount\" flag: invalid field '{field}' must be a key=value pair");
            switch (key)
            {
                case "type": m.Type = value!; break;
                case "source" or "src": m.Source = value; break;
                case "target" or "dst" or "destination": m.Target = value!; break;
                case "readonly" or "ro": m.ReadOnly = Bool(value, field, spec); break;
                case "consistency": m.Consistency = value; break;
                case "bind-propagation": (m.BindOptions ??= new BindOptions()).Propagation = value; break;
                case "bind-nonrecursive": (m.BindOptions ??= new BindOptions()).NonRecursive = Bool(value, field, spec); break;
                case "volume-nocopy": (m.VolumeOptions ??= new VolumeOptions()).NoCopy = Bool(value, field, spec); break;
                case "volume-subpath": (m.VolumeOptions ??= new VolumeOptions()).Subpath = value; break;
                case "volume-driver": ((m.VolumeOptions ??= new VolumeOptions()).DriverConfig ??= new VolumeDriverConfig()).Name = value; break;
                case "volume-label": AddPair((m.VolumeOptions ??= new VolumeOptions()).Labels ??= new(), value!, spec); break;
                case "volume-opt": AddPair(((m.VolumeOptions ??= new VolumeOptions()).DriverConfig ??= new VolumeDriverConfig()).Options ??= new(), value!, spec); break;
                case "image-subpath": (m.ImageOptions ??= new ImageMountOptions()).Subpath = value; break;
                case "tmpfs-size": (m.TmpfsOptions ??= new TmpfsOptions()).SizeBytes = Units.SizeFlag(value!, "--mount"); break;
                case "tmpfs-mode":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) || value!.Any(c => c > '7'))
                        throw new UsageException($"invalid argument \"{spec}\" for \"--mount\" flag: invalid value for {key}: {value}");
                    (m.TmpfsOptions ??= new TmpfsOptions()).Mode = Convert.ToInt32(value, 8);
                    break;
                default: throw new UsageException($"invalid argument \"{spec}\" for \"--mount\" flag: unexpected key '{key}' in '{field}'");
            }
        }
        if (m.Type is not ("bind" or "volume" or "tmpfs" or "image" or "npipe" or "cluster"))
            throw new UsageException($"invalid argument \"{spec}\" for \"--mount\" flag: invalid mount type '{m.Type}'");
        if (string.IsNullOrEmpty(m.Target)) throw new UsageException($"invalid argument \"{spec}\" for \"--mount\" flag: target is required");
        return m;
    }

    private static bool Bool(string? value, string field, string spec) => value?.ToLowerInvariant() switch
    {
        null or "" or "1" or "true" => true,
        "0" or "false" => false,
        _ => throw new UsageException($"invalid argument \"{spec}\" for \"--mount\" flag: invalid value for '{field}'"),
    };

    private static void AddPair(Dictionary<string, string> map, string value, string spec)
    {
        int eq = value.IndexOf('=');
        if (eq <= 0) throw new UsageException($"invalid argument \"{spec}\" for \"--mount\" flag: invalid key=value '{value}'");
        map[value[..eq]] = value[(eq + 1)..];
    }
}
