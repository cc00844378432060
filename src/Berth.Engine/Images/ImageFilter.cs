using System.Text.RegularExpressions;
using Berth.Core;
using Berth.Engine.Containers;
using Berth.Images;

namespace Berth.Engine.Images;

/// <summary>Docker's image list filters: dangling, reference (glob), label, before, since, until.</summary>
public static class ImageFilter
{
    public static bool Matches(ImageRecord img, Dictionary<string, List<string>> f, ImageStore store)
    {
        foreach (var (key, values) in f)
        {
            if (values.Count == 0) continue;
            bool ok = key switch
            {
                "dangling" => values.All(v => v switch
                {
                    "true" or "1" => img.RepoTags.Count == 0,
                    "false" or "0" => img.RepoTags.Count > 0,
                    _ => throw BerthException.Invalid($"invalid filter 'dangling={v}'"),
                }),
                "reference" => values.Any(v => img.RepoTags.Any(t => ReferenceMatches(t, v))),
                "label" => values.All(v => ContainerFilter.LabelMatches(img.Config.Config?.Labels, v)),
                "before" => img.Created < store.Resolve(values[0]).Created,
                "since" => img.Created > store.Resolve(values[0]).Created,
                "until" => values.All(v => img.Created < ContainerFilter.ParseUntil(v)),
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Glob match of a familiar name against a pattern; a pattern without a tag matches the repository.</summary>
    public static bool ReferenceMatches(string familiarName, string pattern)
    {
        string name = familiarName;
        int colon = name.LastIndexOf(':');
        bool patternHasTag = pattern.LastIndexOf(':') > pattern.LastIndexOf('/');
        if (!patternHasTag && colon > name.LastIndexOf('/')) name = name[..colon];
        string regex = "^" + Regex.Escape(pattern).Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]") + "$";
        return Regex.IsMatch(name, regex, RegexOptions.None, TimeSpan.FromSeconds(1));
    }
}
