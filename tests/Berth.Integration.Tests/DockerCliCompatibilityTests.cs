using Xunit.Abstractions;

namespace Berth.Integration.Tests;

/// <summary>The stock docker CLI against a Berth daemon, unchanged.</summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class DockerCliCompatibilityTests(DaemonFixture fixture, ITestOutputHelper output)
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private static string? DockerPath() =>
        new[] { "/usr/local/bin/docker", "/usr/bin/docker" }.FirstOrDefault(File.Exists);

    private CommandResult Docker(params string[] args) => _d.Run(DockerPath()!, args, null);

    /// <summary>A docker command that must succeed.</summary>
    private CommandResult Ok(params string[] args)
    {
        var r = Docker(args);
        Assert.True(r.ExitCode == 0, string.Join(' ', args) + ": " + r);
        return r;
    }

    [Fact]
    public void DockerCliDrivesBerth()
    {
        if (DockerPath() == null)
        {
            output.WriteLine("SKIPPED: no docker CLI installed on this machine");
            return;
        }
        var version = Docker("version", "--format", "{{.Server.APIVersion}}");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Equal("1.50", version.Stdout.Trim());

        var run = Docker("run", "--rm", "busybox", "echo", "hi from docker");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("hi from docker\n", run.Stdout);
        Assert.Equal(3, Docker("run", "--rm", "busybox", "sh", "-c", "exit 3").ExitCode);

        var id = Docker("run", "-d", "--name", "dk-web", "busybox", "sh", "-c", "echo up; sleep 300").Stdout.Trim();
        Assert.Equal(64, id.Length);
        Thread.Sleep(300);
        Assert.Equal("up\n", Docker("logs", "dk-web").Stdout);
        Assert.Equal("in exec\n", Docker("exec", "dk-web", "echo", "in exec").Stdout);
        Assert.Contains("dk-web", Docker("ps").Stdout);
        Assert.Equal("running", Docker("inspect", "-f", "{{.State.Status}}", "dk-web").Stdout.Trim());

        string file = Path.Combine(_d.Root, "dk.txt");
        File.WriteAllText(file, "via docker cp\n");
        var cpIn = Docker("cp", file, "dk-web:/tmp/dk.txt");
        Assert.True(cpIn.ExitCode == 0, cpIn.ToString());
        Assert.Equal("via docker cp\n", Docker("exec", "dk-web", "cat", "/tmp/dk.txt").Stdout);
        string outDir = Path.Combine(_d.Root, "dk-out");
        Directory.CreateDirectory(outDir);
        var cpOut = Docker("cp", "dk-web:/etc/hostname", outDir);
        Assert.True(cpOut.ExitCode == 0, cpOut.ToString());
        Assert.Equal(id[..12] + "\n", File.ReadAllText(Path.Combine(outDir, "hostname")));

        Assert.Equal(0, Docker("stop", "-t", "1", "dk-web").ExitCode);
        Assert.Equal(0, Docker("rm", "dk-web").ExitCode);

        Assert.Contains("busybox", Docker("images").Stdout);
        Assert.Equal(0, Docker("tag", "busybox", "dk/tagged:1").ExitCode);
        string tar = Path.Combine(_d.Root, "dk-save.tar");
        var save = Docker("save", "-o", tar, "dk/tagged:1");
        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.Contains("Untagged: dk/tagged:1", Docker("rmi", "dk/tagged:1").Stdout);
        var load = Docker("load", "-i", tar);
        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.Contains("dk/tagged:1", load.Stdout);
        Assert.Equal(0, Docker("rmi", "dk/tagged:1").ExitCode);

        var missing = Docker("run", "--rm", "127.0.0.1:9/nosuch-image"); // a loopback registry that refuses: no Docker Hub
        Assert.Equal(125, missing.ExitCode);
        Assert.Contains("Unable to find image", missing.Stderr);
    }

    [Fact]
    public void DockerCliManagesVolumesAndMounts()
    {
        if (DockerPath() == null)
        {
            output.WriteLine("SKIPPED: no docker CLI installed on this machine");
            return;
        }
        Assert.Equal("dk-vol", Ok("volume", "create", "--label", "dk=1", "dk-vol").Stdout.Trim());
        Assert.Contains("dk-vol", Ok("volume", "ls", "--filter", "label=dk=1").Stdout);
        Assert.Equal("local dk-vol", Ok("volume", "inspect", "--format", "{{.Driver}} {{.Name}}", "dk-vol").Stdout.Trim());

        string host = Path.Combine(_d.Root, "dk-bind");
        Directory.CreateDirectory(host);
        File.WriteAllText(Path.Combine(host, "h"), "from host\n");
        var run = Ok("run", "--rm", "-v", "dk-vol:/v", "--mount", $"type=bind,source={host},target=/h,readonly", "--tmpfs", "/t:size=1m",
            "busybox", "sh", "-c", "echo in-volume > /v/f; cat /h/h; df -k /t | tail -1 | awk '{print $2}'");
        Assert.Equal("from host\n1024\n", run.Stdout);
        Assert.Equal("in-volume\n", Ok("run", "--rm", "-v", "dk-vol:/v:ro", "busybox", "cat", "/v/f").Stdout);
        var inspect = Ok("create", "--name", "dk-mounts", "-v", "dk-vol:/v", "busybox", "true");
        Assert.Equal("volume dk-vol /v", Ok("inspect", "--format", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}}{{end}}", "dk-mounts").Stdout.Trim());
        var inUse = Docker("volume", "rm", "dk-vol");
        Assert.NotEqual(0, inUse.ExitCode);
        Assert.Contains("volume is in use", inUse.Stderr);
        Ok("rm", "dk-mounts");
        Ok("volume", "create", "dk-anon-like", "--label", "com.docker.volume.anonymous=");
        Assert.Contains("dk-anon-like", Ok("volume", "prune", "-f", "--filter", "label=com.docker.volume.anonymous").Stdout);
        Assert.Equal("dk-vol", Ok("volume", "rm", "dk-vol").Stdout.Trim());
    }

    [Fact]
    public void DockerCliManagesNetworksAndPublishedPorts()
    {
        if (DockerPath() == null)
        {
            output.WriteLine("SKIPPED: no docker CLI installed on this machine");
            return;
        }
        Ok("network", "create", "--label", "dk=1", "dk-net");
        try
        {
            Assert.Contains("dk-net", Ok("network", "ls", "--filter", "label=dk=1").Stdout);
            Assert.Equal("bridge false", Ok("network", "inspect", "--format", "{{.Driver}} {{.Internal}}", "dk-net").Stdout.Trim());
            int port;
            using (var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)) { l.Start(); port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port; }
            Ok("run", "-d", "--name", "dk-srv", "--network", "dk-net", "-p", $"127.0.0.1:{port}:80", "busybox", "sh", "-c",
                "mkdir -p /www && echo dk-served > /www/index.html && exec httpd -f -p 80 -h /www");
            Assert.Equal($"127.0.0.1:{port}", Ok("port", "dk-srv", "80").Stdout.Trim());
            string body = "";
            for (int i = 0; i < 50 && body.Length == 0; i++)
            {
                try { body = HttpGet($"http://127.0.0.1:{port}/"); }
                catch (HttpRequestException) { Thread.Sleep(100); }
            }
            Assert.Equal("dk-served\n", body);
            Ok("run", "-d", "--name", "dk-cli", "busybox", "sleep", "60");
            Ok("network", "connect", "dk-net", "dk-cli");
            var fetched = Ok("exec", "dk-cli", "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 dk-srv 80 | tail -1");
            Assert.Equal("dk-served\n", fetched.Stdout);
            Ok("network", "disconnect", "dk-net", "dk-cli");
            var rmBusy = Docker("network", "rm", "dk-net");
            Assert.NotEqual(0, rmBusy.ExitCode);
        }
        finally
        {
            Docker("rm", "-f", "dk-srv", "dk-cli");
            Docker("network", "rm", "dk-net");
        }
        Assert.DoesNotContain("dk-net", Ok("network", "ls").Stdout);
    }

    private static string HttpGet(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return http.GetStringAsync(url).GetAwaiter().GetResult();
    }
}
