using Berth.Core.EngineApi;

namespace Berth.Engine.Build;

/// <summary>
/// The output of stages that build at once, passed on in Dockerfile order: the earliest unfinished stage streams live, the
/// others are held until every stage before them finished. The stream so reads as a serial build's would, step numbers in
/// order, while the work overlaps. A failed stage's held output is let out at once, so its error comes with its context.
/// </summary>
internal sealed class OrderedStageOutput
{
    private readonly Action<JsonMessage> _emit;
    private readonly IReadOnlyList<int> _order;
    private readonly Dictionary<int, List<JsonMessage>> _held = new();
    private readonly HashSet<int> _finished = new();
    private readonly HashSet<int> _live = new();
    private int _current;

    public OrderedStageOutput(IReadOnlyList<int> order, Action<JsonMessage> emit)
    {
        _order = order;
        _emit = emit;
        foreach (int stage in order) _held[stage] = new List<JsonMessage>();
        if (order.Count > 0) _live.Add(order[0]);
    }

    /// <summary>Where stage <paramref name="stage"/> writes its messages.</summary>
    public Action<JsonMessage> For(int stage) => m => Write(stage, m);

    /// <summary>The stage is done: the output held for the stages after it, up to the next unfinished one, goes out.</summary>
    public void Finish(int stage)
    {
        lock (_held)
        {
            _finished.Add(stage);
            while (_current < _order.Count && _finished.Contains(_order[_current]))
            {
                _current++;
                if (_current < _order.Count) Release(_order[_current]);
            }
        }
    }

    /// <summary>Lets the held output of <paramref name="stage"/> out now and streams the rest of it live (it failed).</summary>
    public void Release(int stage)
    {
        lock (_held)
        {
            foreach (var m in _held[stage]) _emit(m);
            _held[stage].Clear();
            _live.Add(stage);
        }
    }

    private void Write(int stage, JsonMessage m)
    {
        lock (_held)
        {
            if (_live.Contains(stage)) _emit(m);
            else _held[stage].Add(m);
        }
    }
}
