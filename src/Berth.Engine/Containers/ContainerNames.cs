using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Berth.Core;

namespace Berth.Engine.Containers;

/// <summary>Container IDs and names: validation and Docker-style generated names.</summary>
public static partial class ContainerNames
{
    private static readonly string[] Moods =
    [
        "brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "keen", "lucid", "merry",
        "nimble", "proud", "quiet", "rapid", "sharp", "steady", "sunny", "swift", "tidy", "vivid",
        "witty", "zesty", "bold", "clever", "dapper", "fearless", "graceful", "humble", "lively", "mellow",
    ];

    private static readonly string[] Vessels =
    [
        "barge", "brig", "canoe", "clipper", "cutter", "dhow", "dory", "ferry", "frigate", "galleon",
        "junk", "kayak", "ketch", "launch", "lugger", "punt", "raft", "schooner", "sloop", "skiff",
        "smack", "steamer", "tender", "trawler", "tug", "whaler", "yacht", "yawl", "coracle", "gondola",
    ];

    /// <summary>A new random 64-hex container or exec ID.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A random readable name such as <c>steady_schooner</c>.</summary>
    public static string Generate(int attempt = 0)
    {
        string name = Moods[RandomNumberGenerator.GetInt32(Moods.Length)] + "_" + Vessels[RandomNumberGenerator.GetInt32(Vessels.Length)];
        return attempt > 3 ? name + RandomNumberGenerator.GetInt32(10, 100) : name;
    }

    /// <summary>Strips one leading slash and checks Docker's name rule.</summary>
    public static string Normalize(string name)
    {
        string n = name.StartsWith('/') ? name[1..] : name;
        if (!NamePattern().IsMatch(n))
            throw BerthException.Invalid($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        return n;
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex NamePattern();
}
