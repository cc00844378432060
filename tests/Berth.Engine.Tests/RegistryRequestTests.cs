using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Images;

namespace Berth.Engine.Tests;

/// <summary>How pull, push and login requests are read: references with the tag parameter, auth configs, registry addresses.</summary>
public class RegistryRequestTests
{
    [Theory]
    [InlineData("busybox", "latest", "docker.io/library/busybox:latest")]
    [InlineData("127.0.0.1:5000/a/b", "v1", "127.0.0.1:5000/a/b:v1")]
    [InlineData("127.0.0.1:5000/a/b:v2", "v1", "127.0.0.1:5000/a/b:v2")]
    [InlineData("busybox", "sha256:0123456789012345678901234567890123456789012345678901234567890123",
        "docker.io/library/busybox@sha256:0123456789012345678901234567890123456789012345678901234567890123")]
    [InlineData("busybox", null, "docker.io/library/busybox")]
    [InlineData("busybox", "", "docker.io/library/busybox")]
    public void PullReferenceCombinesNameAndTag(string fromImage, string? tag, string expected) =>
        Assert.Equal(expected, ImageService.ParsePullReference(fromImage, tag).ToString());

    [Theory]
    [InlineData("../etc", "v1")]
    [InlineData("busybox", "bad/tag")]
    [InlineData("Busy box", "v1")]
    [InlineData("busybox", "sha256:short")]
    public void InvalidPullReferencesAreRefused(string fromImage, string tag)
    {
        var e = Assert.Throws<BerthException>(() => ImageService.ParsePullReference(fromImage, tag));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("invalid reference format", e.Message);
    }

    [Fact]
    public void CredentialsComeFromFieldsOrTheAuthString()
    {
        Assert.Equal(new("u", "p"), ImageService.CredentialsOf(new AuthConfig { Username = "u", Password = "p" }));
        Assert.Equal(new("u", "p:q"), ImageService.CredentialsOf(new AuthConfig { Auth = Convert.ToBase64String("u:p:q"u8.ToArray()) }));
        Assert.Null(ImageService.CredentialsOf(new AuthConfig { ServerAddress = "x" }));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => ImageService.CredentialsOf(new AuthConfig { Auth = "!!" })).Kind);
        Assert.Equal(ErrorKind.NotImplemented, Assert.Throws<BerthException>(() => ImageService.CredentialsOf(new AuthConfig { RegistryToken = "t" })).Kind);
    }

    [Fact]
    public void AnIdentityTokenTravelsWithTheNameAndAnyPassword()
    {
        // docker's config.json keeps "user:" (no password) beside the identity token.
        var stored = ImageService.CredentialsOf(new AuthConfig { Auth = Convert.ToBase64String("u:"u8.ToArray()), Username = "u", IdentityToken = "rt" })!;
        Assert.Equal(("u", "", "rt"), (stored.Username, stored.Password, stored.IdentityToken));
        var both = ImageService.CredentialsOf(new AuthConfig { Username = "u", Password = "p", IdentityToken = "rt" })!;
        Assert.Equal(("u", "p", "rt"), (both.Username, both.Password, both.IdentityToken));
        Assert.Equal("rt", ImageService.CredentialsOf(new AuthConfig { IdentityToken = "rt" })!.IdentityToken);
        Assert.DoesNotContain("rt", both.ToString());
        Assert.DoesNotContain("p", both.ToString().Replace("RegistryCredentials", ""));
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("http://Reg.Example:5000/v2/", "reg.example:5000")]
    public void RegistryAddressesNormalize(string address, string expected) => Assert.Equal(expected, RegistryAddress.Normalize(address));

    [Fact]
    public void RegistryAddressWithOddCharactersIsRefused() =>
        Assert.Throws<BerthException>(() => RegistryAddress.Normalize("reg istry"));
}
