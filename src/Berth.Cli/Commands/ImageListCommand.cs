using System.Globalization;
using Berth.Cli.Output;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker images / docker image ls.</summary>
internal static class ImageListCommand
{
    public const string DefaultFormat = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public const string DigestsFormat = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    public static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["ID"] = "IMAGE ID", ["Digest"] = "DIGEST", ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT", ["Size"] = "SIZE", ["Containers"] = "CONTAINERS", ["VirtualSize"] = "VIRTUAL SIZE",
        ["SharedSize"] = "SHARED SIZE", ["UniqueSize"] = "UNIQUE SIZE",
    };

    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        var filters = Filters.Parse(f.List("filter")) ?? new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (ctx.Args.Count == 1) filters["reference"] = new List<string> { ctx.Args[0] };
        bool digests = f.Bool("digests");
        var images = await ctx.Client.ListImagesAsync(f.Bool("all"), digests, filters.Count == 0 ? null : filters).ConfigureAwait(false);
        bool trunc = !f.Bool("no-trunc");
        images = images.OrderByDescending(i => i.Created).ToList();
        if (f.Bool("quiet"))
        {
            foreach (var id in images.Select(i => trunc ? Display.ShortId(i.Id) : i.Id).Distinct()) ctx.Out.WriteLine(id);
            return 0;
        }
        var now = DateTimeOffset.UtcNow;
        var rows = images.SelectMany(i => Rows(i, trunc, digests, now)).Select(RowFormatter.Object).ToList();
        ctx.Out.Write(RowFormatter.Render(f.String("format"), digests ? DigestsFormat : DefaultFormat, rows, Headers));
        return 0;
    }

    /// <summary>One row per tag (and per digest with --digests); untagged images show &lt;none&gt;.</summary>
    public static IEnumerable<Dictionary<string, string>> Rows(ImageSummary image, bool trunc, bool digests, DateTimeOffset now)
    {
        var tagRows = new List<(string Repo, string Tag, string Digest)>();
        foreach (var t in image.RepoTags.Where(t => t != "<none>:<none>"))
        {
            int colon = t.LastIndexOf(':');
            string repo = colon > t.LastIndexOf('/') ? t[..colon] : t;
            string tag = colon > t.LastIndexOf('/') ? t[(colon + 1)..] : "<none>";
            string digest = image.RepoDigests.FirstOrDefault(d => d.StartsWith(repo + "@", StringComparison.Ordinal)) is { } rd ? rd[(rd.IndexOf('@') + 1)..] : "<none>";
            tagRows.Add((repo, tag, digest));
        }
        if (tagRows.Count == 0)
        {
            foreach (var d in image.RepoDigests.Where(d => d != "<none>@<none>"))
                tagRows.Add((d[..d.IndexOf('@')], "<none>", d[(d.IndexOf('@') + 1)..]));
            if (tagRows.Count == 0) tagRows.Add(("<none>", "<none>", "<none>"));
        }
        string size = HumanUnits.Size(image.Size);
        foreach (var (repo, tag, digest) in tagRows)
        {
            yield return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Repository"] = repo,
                ["Tag"] = tag,
                ["Digest"] = digest,
                ["ID"] = trunc ? Display.ShortId(image.Id) : image.Id,
                ["CreatedSince"] = Display.Ago(image.Created, now),
                ["CreatedAt"] = Display.GoTime(DateTimeOffset.FromUnixTimeSeconds(image.Created)),
                ["Size"] = size,
                ["VirtualSize"] = size,
                ["Containers"] = image.Containers < 0 ? "N/A" : image.Containers.ToString(CultureInfo.InvariantCulture),
                ["SharedSize"] = image.SharedSize < 0 ? "N/A" : HumanUnits.Size(image.SharedSize),
                ["UniqueSize"] = image.SharedSize < 0 ? "N/A" : HumanUnits.Size(image.Size - image.SharedSize),
            };
        }
    }
}
