using System.Formats.Tar;
using System.Text;

namespace Berth.Cli.Tests;

public class CopyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-cli-cp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Stat(string name, bool dir) => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        $"{{\"name\":\"{name}\",\"size\":4,\"mode\":{(dir ? (1u << 31) | 0x1ed : 0x1a4)},\"mtime\":\"2026-01-01T00:00:00Z\",\"linkTarget\":\"\"}}"));

    private static byte[] Tar(params (string Name, string? Content)[] entries)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                var e = new PaxTarEntry(content == null ? TarEntryType.Directory : TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0x1a4 };
                if (content != null) e.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                w.WriteEntry(e);
            }
        return ms.ToArray();
    }

    private static FakeEngine ArchiveServer(byte[] tar, string stat) => new(async (req, stream) =>
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nX-Docker-Container-Path-Stat: {stat}\r\nContent-Length: {tar.Length}\r\n\r\n"));
        await stream.WriteAsync(tar);
    });

    private static async Task<(int, string)> Cp(FakeEngine engine, params string[] args)
    {
        var err = new StringWriter();
        int code = await CliApp.RunAsync(new[] { "cp" }.Concat(args).ToArray(), new StringWriter(), err, engine.Client);
        return (code, err.ToString());
    }

    [Fact]
    public async Task File_from_container_to_a_new_path()
    {
        using var engine = ArchiveServer(Tar(("hostname", "box\n")), Stat("hostname", false));
        string dest = Path.Combine(_dir, "copied");
        var (code, err) = await Cp(engine, "c1:/etc/hostname", dest);
        Assert.Equal(0, code);
        Assert.Equal("box\n", File.ReadAllText(dest));
        Assert.Equal($"Successfully copied 4B to {dest}\n", err);
    }

    [Fact]
    public async Task Directory_from_container_into_an_existing_directory()
    {
        using var engine = ArchiveServer(Tar(("etc", null), ("etc/a", "1"), ("etc/sub", null), ("etc/sub/b", "22")), Stat("etc", true));
        var (code, _) = await Cp(engine, "-q", "c1:/etc", _dir);
        Assert.Equal(0, code);
        Assert.Equal("1", File.ReadAllText(Path.Combine(_dir, "etc", "a")));
        Assert.Equal("22", File.ReadAllText(Path.Combine(_dir, "etc", "sub", "b")));
    }

    [Fact]
    public async Task Directory_onto_a_file_is_refused()
    {
        string file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "x");
        using var engine = ArchiveServer(Tar(("etc", null)), Stat("etc", true));
        var (code, err) = await Cp(engine, "c1:/etc", file);
        Assert.Equal(1, code);
        Assert.Contains(file, err);
    }

    [Fact]
    public async Task Tar_entries_escaping_the_destination_are_refused()
    {
        using var engine = ArchiveServer(Tar(("etc", null), ("etc/../../escape", "x")), Stat("etc", true));
        var (code, err) = await Cp(engine, "c1:/etc", Path.Combine(_dir, "out"));
        Assert.Equal(1, code);
        Assert.Contains("refusing", err);
        Assert.False(File.Exists(Path.Combine(_dir, "escape")));
    }

    [Fact]
    public async Task Local_directory_into_a_container_directory()
    {
        string src = Path.Combine(_dir, "app");
        Directory.CreateDirectory(Path.Combine(src, "lib"));
        File.WriteAllText(Path.Combine(src, "lib", "x.txt"), "hello");
        var names = new List<string>();
        string? putTarget = null;
        using var engine = new FakeEngine(async (req, stream) =>
        {
            if (req.Method == "HEAD")
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nX-Docker-Container-Path-Stat: {Stat("srv", true)}\r\nContent-Length: 0\r\n\r\n"));
                return;
            }
            putTarget = req.Target;
            using var reader = new TarReader(new MemoryStream(req.Body));
            while (reader.GetNextEntry() is { } e) names.Add(e.Name);
            await FakeEngine.WriteAsync(stream, 200, "");
        });
        var (code, err) = await Cp(engine, src, "c1:/srv");
        Assert.Equal(0, code);
        Assert.Equal("/v1.50/containers/c1/archive?path=%2Fsrv&noOverwriteDirNonDir=true", putTarget);
        Assert.Equal(new[] { "app/", "app/lib/", "app/lib/x.txt" }, names);
        Assert.Equal("Successfully copied 5B to c1:/srv\n", err);
    }

    [Fact]
    public async Task Local_file_to_a_new_container_path_is_renamed()
    {
        string src = Path.Combine(_dir, "local.txt");
        File.WriteAllText(src, "data");
        var names = new List<string>();
        string? putTarget = null;
        using var engine = new FakeEngine(async (req, stream) =>
        {
            if (req.Method == "HEAD")
            {
                await FakeEngine.WriteAsync(stream, 404, "{\"message\":\"Could not find the file /tmp/new.txt\"}");
                return;
            }
            putTarget = req.Target;
            using var reader = new TarReader(new MemoryStream(req.Body));
            while (reader.GetNextEntry() is { } e) names.Add(e.Name);
            await FakeEngine.WriteAsync(stream, 200, "");
        });
        var (code, _) = await Cp(engine, "-q", src, "c1:/tmp/new.txt");
        Assert.Equal(0, code);
        Assert.Equal("/v1.50/containers/c1/archive?path=%2Ftmp&noOverwriteDirNonDir=true", putTarget);
        Assert.Equal(new[] { "new.txt" }, names);
    }

    [Theory]
    [InlineData("a", "b", "must specify at least one container source")]
    [InlineData("c1:/a", "c2:/b", "copying between containers is not supported")]
    public async Task Bad_pairs_are_usage_errors(string src, string dst, string message)
    {
        using var engine = FakeEngine.Json(new());
        var (code, err) = await Cp(engine, src, dst);
        Assert.Equal(125, code);
        Assert.Contains(message, err);
    }
}
