using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Berth.Runtime.Init;

/// <summary>
/// Under JIT (tests, dotnet build) assemblies load lazily from the host's disk, which pivot_root takes away; so the
/// init loads every assembly it can reach first. NativeAOT has everything compiled in and skips this.
/// </summary>
internal static class AssemblyPreload
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Runs only when dynamic code is supported (JIT), where nothing is trimmed.")]
    public static void LoadAll()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
            return;
        var seen = new HashSet<string>();
        var pending = new Stack<Assembly>();
        pending.Push(typeof(AssemblyPreload).Assembly);
        while (pending.Count > 0)
        {
            foreach (var name in pending.Pop().GetReferencedAssemblies())
            {
                if (name.Name == null || !seen.Add(name.Name))
                    continue;
                try
                {
                    pending.Push(Assembly.Load(name));
                }
                catch (IOException)
                {
                    // A reference the init never touches may be absent; only what loads matters.
                }
            }
        }
    }
}
