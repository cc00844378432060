using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Runtime.Native;

/// <summary>A NUL-terminated array of C strings in unmanaged memory (argv/envp), freed on dispose.</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly List<nint> _blocks = new();

    public NativeStrings(IReadOnlyList<string> values)
    {
        Pointer = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(nint));
        _blocks.Add((nint)Pointer);
        for (var i = 0; i < values.Count; i++)
            Pointer[i] = Utf8(values[i]);
    }

    public byte** Pointer { get; }

    /// <summary>Allocates one NUL-terminated UTF-8 string owned by this object.</summary>
    public byte* Utf8(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var p = (byte*)NativeMemory.AllocZeroed((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(p, bytes.Length));
        _blocks.Add((nint)p);
        return p;
    }

    public void Dispose()
    {
        foreach (var b in _blocks)
            NativeMemory.Free((void*)b);
        _blocks.Clear();
    }

    /// <summary>The current process environment as KEY=VALUE strings.</summary>
    public static List<string> CurrentEnvironment()
    {
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            list.Add($"{e.Key}={e.Value}");
        return list;
    }
}
