using System.Text.Json.Nodes;
using Berth.Cli.Registry;

namespace Berth.Cli.Tests;

[CollectionDefinition("environment", DisableParallelization = true)]
public sealed class EnvironmentCollection
{
}

/// <summary>Keeping logins in docker's config.json: an identity token replaces the password, in the file and in a credential helper.</summary>
[Collection("environment")]
public sealed class DockerConfigFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-cli-config-").FullName;
    private readonly string? _oldConfig = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
    private readonly string? _oldPath = Environment.GetEnvironmentVariable("PATH");

    public DockerConfigFileTests() => Environment.SetEnvironmentVariable("DOCKER_CONFIG", _dir);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("DOCKER_CONFIG", _oldConfig);
        Environment.SetEnvironmentVariable("PATH", _oldPath);
        Directory.Delete(_dir, true);
    }

    private JsonObject Saved() => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!;

    [Fact]
    public void AnIdentityTokenIsStoredInsteadOfThePassword()
    {
        DockerConfigFile.Load().Store("127.0.0.1:5000", "alice", "s3cret", "refresh.jwt.token");
        var entry = Saved()["auths"]!["127.0.0.1:5000"]!;
        Assert.Equal(Convert.ToBase64String("alice:"u8.ToArray()), (string?)entry["auth"]);
        Assert.Equal("refresh.jwt.token", (string?)entry["identitytoken"]);
        Assert.DoesNotContain("s3cret", File.ReadAllText(Path.Combine(_dir, "config.json")));

        var auth = DockerConfigFile.Load().Get("127.0.0.1:5000")!;
        Assert.Equal(("alice", "", "refresh.jwt.token"), (auth.Username, auth.Password, auth.IdentityToken));

        // A later login without a token (a Basic-only registry) drops the old token.
        DockerConfigFile.Load().Store("127.0.0.1:5000", "alice", "s3cret");
        Assert.Null(DockerConfigFile.Load().Get("127.0.0.1:5000")!.IdentityToken);
    }

    [Fact]
    public void ACredentialHelperGetsTheTokenUser()
    {
        string bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        string store = Path.Combine(_dir, "helper-store.json");
        string helper = Path.Combine(bin, "docker-credential-berthtest");
        // A helper keeping one entry: store saves stdin, get prints it back.
        File.WriteAllText(helper, $"#!/bin/sh\ncase \"$1\" in\n store) cat > {store} ;;\n get) cat > /dev/null; cat {store} ;;\n erase) rm -f {store} ;;\nesac\n");
        File.SetUnixFileMode(helper, (UnixFileMode)0x1ed);
        Environment.SetEnvironmentVariable("PATH", bin + ":" + _oldPath);
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{\"credsStore\":\"berthtest\"}");

        DockerConfigFile.Load().Store("127.0.0.1:5000", "alice", "s3cret", "refresh.jwt.token");
        var sent = JsonNode.Parse(File.ReadAllText(store))!;
        Assert.Equal(("<token>", "refresh.jwt.token"), ((string?)sent["Username"], (string?)sent["Secret"]));
        Assert.DoesNotContain("s3cret", File.ReadAllText(store) + File.ReadAllText(Path.Combine(_dir, "config.json")));
        var auth = DockerConfigFile.Load().Get("127.0.0.1:5000")!;
        Assert.Equal("refresh.jwt.token", auth.IdentityToken);
        Assert.Null(auth.Password);
    }
}
