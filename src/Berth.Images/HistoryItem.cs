namespace Berth.Images;

/// <summary>One row of `docker history`: newest first, Id "&lt;missing&gt;" below the top.</summary>
public sealed record HistoryItem(string Id, DateTimeOffset Created, string CreatedBy, long Size, string Comment, IReadOnlyList<string> Tags);
