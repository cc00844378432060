using System.Text.RegularExpressions;
using Berth.Core;

namespace Berth.Engine.Containers;

/// <summary>Docker's container list and prune filters.</summary>
public static class ContainerFilter
{
    private static readonly string[] ListKeys = ["status", "name", "label", "label!", "id", "ancestor", "exited", "before", "since", "network", "volume", "health", "is-task", "publish", "expose"];

    /// <summary>Does <paramref name="rec"/> pass every list filter? <paramref name="ancestorIds"/> are the image IDs the ancestor filter names.</summary>
    public static bool Matches(ContainerRecord rec, Dictionary<string, List<string>> f, Func<string, string?> resolveImage, Func<string, ContainerRecord?> resolveContainer)
    {
        FilterArgs.Validate(f, ListKeys);
        foreach (var (key, values) in f)
        {
            if (values.Count == 0) continue;
            bool ok = key switch
            {
                "status" => values.All(v => ValidStatus(v)) && values.Contains(rec.State.Status),
                "name" => values.Any(v => Regex.IsMatch("/" + rec.Name, v.StartsWith('/') ? v : "/.*" + v, RegexOptions.None, TimeSpan.FromSeconds(1)) || rec.Name.Contains(v.TrimStart('/'))),
                "id" => values.Any(v => rec.Id.StartsWith(v, StringComparison.Ordinal)),
                "label" => values.All(v => LabelMatches(rec.Config.Labels, v)),
                "label!" => values.All(v => !LabelMatches(rec.Config.Labels, v)),
                "ancestor" => values.Any(v => rec.ImageName == v || resolveImage(v) is { } id && id == rec.ImageId),
                "exited" => !rec.State.Running && rec.HasBeenStarted && values.Any(v => int.TryParse(v, out var c) ? c == rec.State.ExitCode : throw BerthException.Invalid($"invalid filter 'exited={v}'")),
                "before" => resolveContainer(values[0]) is { } b ? rec.Created < b.Created : throw BerthException.NotFound($"No such container: {values[0]}"),
                "since" => resolveContainer(values[0]) is { } s ? rec.Created > s.Created : throw BerthException.NotFound($"No such container: {values[0]}"),
                "network" => values.Any(v => v == (rec.HostConfig.NetworkMode ?? "")),
                "is-task" => values.Contains("false"),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool ValidStatus(string v) =>
        v is "created" or "restarting" or "running" or "removing" or "paused" or "exited" or "dead"
            ? true
            : throw BerthException.Invalid($"invalid filter 'status={v}'");

    public static bool MatchesPrune(ContainerRecord rec, Dictionary<string, List<string>> f)
    {
        foreach (var (key, values) in f)
        {
            bool ok = key switch
            {
                "until" => values.All(v => rec.Created < ParseUntil(v)),
                "label" => values.All(v => LabelMatches(rec.Config.Labels, v)),
                "label!" => values.All(v => !LabelMatches(rec.Config.Labels, v)),
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    public static bool LabelMatches(Dictionary<string, string>? labels, string filter)
    {
        int eq = filter.IndexOf('=');
        string key = eq < 0 ? filter : filter[..eq];
        if (labels == null || !labels.TryGetValue(key, out var val)) return false;
        return eq < 0 || val == filter[(eq + 1)..];
    }

    /// <summary>Docker's until/since values: unix seconds, RFC 3339, or a Go duration relative to now (10m, 24h).</summary>
    public static DateTimeOffset ParseUntil(string v)
    {
        if (double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var secs))
            return DateTimeOffset.UnixEpoch.AddSeconds(secs);
        if (DateTimeOffset.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t))
            return t;
        var m = Regex.Match(v, @"^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$");
        if (m.Success)
        {
            double n = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var span = m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                _ => TimeSpan.Zero,
            };
            return DateTimeOffset.UtcNow - span;
        }
        throw BerthException.Invalid($"invalid time value \"{v}\": use unix seconds, RFC 3339, or a duration such as 10m");
    }
}
