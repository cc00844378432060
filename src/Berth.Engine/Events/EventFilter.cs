using Berth.Core;
using Berth.Core.EngineApi;

namespace Berth.Engine.Events;

/// <summary>Docker's event filters: type, event/action, container, image, label, and others matched by actor attributes.</summary>
public sealed class EventFilter
{
    private readonly Dictionary<string, List<string>> _filters;

    public EventFilter(Dictionary<string, List<string>> filters) => _filters = filters;

    public bool Matches(EventMessage ev)
    {
        foreach (var (key, values) in _filters)
        {
            if (values.Count == 0) continue;
            bool ok = key switch
            {
                "type" => values.Contains(ev.Type),
                "event" or "action" => values.Any(v => v == ev.Action || ev.Action.StartsWith(v + ":", StringComparison.Ordinal)),
                "container" => ev.Type == "container" && values.Any(v => MatchesActor(ev, v)),
                "image" => (ev.Type == "image" && values.Any(v => MatchesActor(ev, v))) || (ev.Type == "container" && values.Any(v => Attr(ev, "image") == v)),
                "volume" or "network" or "daemon" => ev.Type == key && values.Any(v => MatchesActor(ev, v)),
                "label" => values.Any(v => MatchesLabel(ev, v)),
                "scope" => values.Contains(ev.Scope),
                _ => throw BerthException.Invalid($"invalid filter '{key}'"),
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool MatchesActor(EventMessage ev, string v) =>
        ev.Actor.ID == v || ev.Actor.ID.StartsWith(v, StringComparison.Ordinal) || Attr(ev, "name") == v;

    private static string? Attr(EventMessage ev, string key) =>
        ev.Actor.Attributes != null && ev.Actor.Attributes.TryGetValue(key, out var v) ? v : null;

    private static bool MatchesLabel(EventMessage ev, string filter)
    {
        int eq = filter.IndexOf('=');
        string key = eq < 0 ? filter : filter[..eq];
        string? val = Attr(ev, key);
        return val != null && (eq < 0 || val == filter[(eq + 1)..]);
    }
}
