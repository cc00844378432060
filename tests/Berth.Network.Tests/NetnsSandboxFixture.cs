using Berth.Network.Netlink;

namespace Berth.Network.Tests;

/// <summary>Owns the namespaces and host links a root test creates and removes all of them on dispose.</summary>
internal sealed class NetnsSandboxFixture : IDisposable
{
    private readonly List<string> _links = [];
    private readonly List<string> _namespaces = [];

    public NetnsSandboxFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "berth-net-test-" + TestNames.Hex(8));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string NewNamespace()
    {
        var path = Path.Combine(Directory, "ns" + _namespaces.Count);
        NetworkNamespaceFile.Create(path);
        _namespaces.Add(path);
        return path;
    }

    /// <summary>A fresh link name that is deleted from the host on dispose.</summary>
    public string NewLink()
    {
        var name = TestNames.Link();
        _links.Add(name);
        return name;
    }

    public void Dispose()
    {
        var errors = new List<Exception>();
        using (var netlink = new Rtnetlink())
        {
            foreach (var link in _links)
            {
                try { netlink.TryDeleteLink(link); }
                catch (Exception e) { errors.Add(e); }
            }
        }
        foreach (var ns in _namespaces)
        {
            try { NetworkNamespaceFile.Delete(ns); }
            catch (Exception e) { errors.Add(e); }
        }
        try { System.IO.Directory.Delete(Directory, true); }
        catch (Exception e) { errors.Add(e); }
        if (errors.Count > 0) throw new AggregateException(errors);
    }
}
