using System.Threading.Channels;
using Berth.Core.EngineApi;

namespace Berth.Engine.Events;

/// <summary>Publishes engine events to subscribers and keeps a bounded backlog for <c>--since</c>.</summary>
public sealed class EventBus
{
    private const int Backlog = 1024;
    private readonly Lock _lock = new();
    private readonly LinkedList<EventMessage> _recent = new();
    private readonly List<Channel<EventMessage>> _subscribers = new();

    public void Publish(string type, string action, string actorId, Dictionary<string, string>? attributes = null)
    {
        var now = DateTimeOffset.UtcNow;
        long nanos = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        var ev = new EventMessage
        {
            Type = type,
            Action = action,
            Actor = new EventActor { ID = actorId, Attributes = attributes ?? new() },
            Time = nanos / 1_000_000_000,
            TimeNano = nanos,
        };
        if (type is "container" or "image")
        {
            ev.Status = action;
            ev.Id = actorId;
            if (type == "container" && attributes != null && attributes.TryGetValue("image", out var img)) ev.From = img;
        }
        lock (_lock)
        {
            _recent.AddLast(ev);
            if (_recent.Count > Backlog) _recent.RemoveFirst();
            foreach (var ch in _subscribers) ch.Writer.TryWrite(ev);
        }
    }

    /// <summary>A subscription that first replays backlog events at or after <paramref name="sinceNanos"/>.</summary>
    public Subscription Subscribe(long? sinceNanos)
    {
        var ch = Channel.CreateBounded<EventMessage>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            if (sinceNanos != null)
                foreach (var ev in _recent)
                    if (ev.TimeNano >= sinceNanos) ch.Writer.TryWrite(ev);
            _subscribers.Add(ch);
        }
        return new Subscription(this, ch);
    }

    private void Unsubscribe(Channel<EventMessage> ch)
    {
        lock (_lock) _subscribers.Remove(ch);
        ch.Writer.TryComplete();
    }

    /// <summary>One subscriber's stream of events; dispose to stop.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly EventBus _bus;
        private readonly Channel<EventMessage> _channel;

        internal Subscription(EventBus bus, Channel<EventMessage> channel)
        {
            _bus = bus;
            _channel = channel;
        }

        public ChannelReader<EventMessage> Reader => _channel.Reader;

        public void Dispose() => _bus.Unsubscribe(_channel);
    }
}
