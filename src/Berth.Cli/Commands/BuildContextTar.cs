using System.Formats.Tar;
using Berth.Build.Context;

namespace Berth.Cli.Commands;

/// <summary>Packs a build context directory into a tar, leaving out what .dockerignore (or the Dockerfile's own NAME.dockerignore) excludes.</summary>
internal static class BuildContextTar
{
    /// <summary>Writes the context to <paramref name="output"/>; returns the Dockerfile's name inside it.</summary>
    public static string Write(string contextDir, string? dockerfile, Stream output)
    {
        string root = Path.GetFullPath(contextDir);
        string dfHost = Path.GetFullPath(dockerfile ?? Path.Combine(root, "Dockerfile"), Environment.CurrentDirectory);
        string dfRel = Path.GetRelativePath(root, dfHost).Replace('\\', '/');
        bool outside = dfRel.StartsWith("../", StringComparison.Ordinal) || dfRel == ".." || Path.IsPathRooted(dfRel);
        var ignore = LoadIgnore(root, dfHost);
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        AddDir(writer, root, "", ignore, outside ? null : dfRel);
        if (!outside) return dfRel;
        // A Dockerfile outside the context travels inside it under a private name, as the docker CLI does.
        string name = ".dockerfile." + Guid.NewGuid().ToString("N")[..12];
        writer.WriteEntry(dfHost, name);
        return name;
    }

    private static DockerIgnore LoadIgnore(string root, string dockerfile)
    {
        foreach (string candidate in new[] { dockerfile + ".dockerignore", Path.Combine(root, ".dockerignore") })
            if (File.Exists(candidate)) return DockerIgnore.Parse(File.ReadAllText(candidate));
        return DockerIgnore.Empty;
    }

    private static void AddDir(TarWriter writer, string host, string rel, DockerIgnore ignore, string? dockerfile)
    {
        foreach (var info in new DirectoryInfo(host).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            string childRel = rel.Length == 0 ? info.Name : rel + "/" + info.Name;
            // The daemon applies the ignore file again (API clients send whole contexts), so it travels whatever it says.
            bool keep = childRel == dockerfile || childRel == dockerfile + ".dockerignore" || childRel == ".dockerignore" || !ignore.IsIgnored(childRel);
            bool isDir = info.LinkTarget == null && (info.Attributes & FileAttributes.Directory) != 0;
            if (keep) writer.WriteEntry(info.FullName, childRel);
            // An ignored directory is still walked when "!" patterns may bring back something below it, or when the Dockerfile
            // is below it: the daemon needs the Dockerfile whatever the ignore file says, as the docker CLI sends it.
            bool holdsDockerfile = dockerfile != null && dockerfile.StartsWith(childRel + "/", StringComparison.Ordinal);
            if (isDir && (keep || ignore.HasExclusions || holdsDockerfile)) AddDir(writer, info.FullName, childRel, ignore, dockerfile);
        }
    }
}
