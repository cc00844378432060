using Berth.Core;

namespace Berth.Build.Planning;

/// <summary>Docker's destination rules for COPY and ADD.</summary>
public static class CopyDestination
{
    /// <summary>The absolute destination: relative ones are below <paramref name="workdir"/>; a trailing slash (or "/.") is kept, since it means "a directory".</summary>
    public static string Absolute(string dest, string? workdir)
    {
        bool dirHint = EndsAsDirectory(dest);
        string joined = dest.StartsWith('/') ? dest : (string.IsNullOrEmpty(workdir) ? "/" : workdir.TrimEnd('/') + "/") + dest;
        string clean = "/" + Context.DockerIgnore.Clean(joined).TrimStart('.');
        clean = clean == "/" ? "/" : clean.TrimEnd('/');
        if (clean.StartsWith("/..", StringComparison.Ordinal)) clean = "/";
        return dirHint && clean != "/" ? clean + "/" : clean;
    }

    /// <summary>True when the destination as written names a directory ("dir/", "dir/.", ".").</summary>
    public static bool EndsAsDirectory(string dest) => dest.EndsWith('/') || dest.EndsWith("/.", StringComparison.Ordinal) || dest == ".";

    /// <summary>Checks that several sources go to a directory.</summary>
    public static void CheckMany(string keyword, string dest, int sourceCount, bool destIsExistingDir)
    {
        if (sourceCount > 1 && !EndsAsDirectory(dest) && !destIsExistingDir)
            throw BerthException.Invalid($"When using {keyword} with more than one source file, the destination must be a directory and end with a /");
    }

    /// <summary>Where a single file lands: inside the destination when it is (or is written as) a directory, else at it.</summary>
    public static string ForFile(string absDest, string baseName, bool destIsExistingDir) =>
        absDest.EndsWith('/') || destIsExistingDir ? absDest.TrimEnd('/') + "/" + baseName : absDest;
}
