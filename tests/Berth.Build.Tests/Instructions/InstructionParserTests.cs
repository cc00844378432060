using Berth.Build.Parser;
using Berth.Build.Parser.Instructions;

namespace Berth.Build.Tests.Instructions;

public class InstructionParserTests
{
    private static BuildDefinition Parse(string text) => InstructionParser.ParseDockerfile(text);

    private static T Single<T>(string body) where T : Instruction
        => Assert.IsType<T>(Assert.Single(Parse("FROM base\n" + body).Stages[0].Instructions));

    [Fact]
    public void StagesAndMetaArgs()
    {
        var def = Parse("ARG VERSION=1.2\nFROM --platform=$BUILDPLATFORM golang:$VERSION AS Build\nRUN go build\nFROM scratch\nCOPY --from=build /out /\n");
        var meta = Assert.Single(def.MetaArgs);
        Assert.Equal(new ArgDefinition("VERSION", "1.2"), Assert.Single(meta.Args));
        Assert.Equal(2, def.Stages.Count);
        Assert.Equal("build", def.Stages[0].Name);
        Assert.Equal("golang:$VERSION", def.Stages[0].BaseImage);
        Assert.Equal("$BUILDPLATFORM", def.Stages[0].Platform);
        Assert.Null(def.Stages[1].Name);
        var copy = Assert.IsType<CopyInstruction>(Assert.Single(def.Stages[1].Instructions));
        Assert.Equal("build", copy.From);
        Assert.Equal(5, copy.StartLine);
    }

    [Fact]
    public void RunShellAndExecFormsWithFlags()
    {
        var run = Single<RunInstruction>("RUN --mount=type=cache,target=/root/.cache,id=go --network=none apt-get update &&   echo ok");
        Assert.True(run.PrependShell);
        Assert.Equal(["apt-get update &&   echo ok"], run.CommandLine);
        Assert.Equal("none", run.Network);
        Assert.Equal("sandbox", run.Security);
        var m = Assert.Single(run.Mounts);
        Assert.Equal(("cache", "/root/.cache", "go", false), (m.Type, m.Target, m.CacheId, m.ReadOnly));

        var exec = Single<RunInstruction>("RUN [\"/bin/sh\", \"-c\", \"echo hi\"]");
        Assert.True(exec.IsJson);
        Assert.Equal(["/bin/sh", "-c", "echo hi"], exec.CommandLine);
    }

    [Fact]
    public void RunHeredocIsCarried()
    {
        var run = Single<RunInstruction>("RUN <<EOF\necho hi\nEOF");
        Assert.Equal("echo hi\n", Assert.Single(run.Heredocs).Content);
    }

    [Fact]
    public void BindMountIsReadOnlyByDefault()
    {
        var m = RunMount.Parse("type=bind,source=.,target=/src");
        Assert.True(m.ReadOnly);
        Assert.False(RunMount.Parse("type=bind,target=/src,rw").ReadOnly);
        Assert.Equal(64L << 20, RunMount.Parse("type=tmpfs,target=/t,size=64m").SizeLimit);
        Assert.Equal(384u /* octal 600 */, RunMount.Parse("type=secret,id=tok,mode=0600").Mode);
    }

    [Theory]
    [InlineData("type=nfs,target=/x", "unsupported mount type \"nfs\"")]
    [InlineData("type=bind,target=/x,mode=0600", "mode not allowed for \"bind\" type mounts")]
    [InlineData("type=bind,bogus=1", "unexpected key 'bogus' in 'bogus=1'")]
    [InlineData("type=secret", "invalid secret mount. one of source, target required")]
    public void BadMountsNameTheProblem(string spec, string message)
        => Assert.Equal(message, Assert.Throws<Core.BerthException>(() => RunMount.Parse(spec)).Message);

    [Fact]
    public void MountExpanderIsApplied()
    {
        var m = RunMount.Parse("type=cache,target=$DIR", v => v.Replace("$DIR", "/cache"));
        Assert.Equal("/cache", m.Target);
    }

    [Fact]
    public void CopyAndAddFlags()
    {
        var copy = Single<CopyInstruction>("COPY --chown=1000:1000 --chmod=755 --link --exclude=*.md --exclude=.git --parents a b /dst/");
        Assert.Equal(["a", "b"], copy.Sources);
        Assert.Equal("/dst/", copy.Dest);
        Assert.Equal(("1000:1000", "755", true, true), (copy.Chown, copy.Chmod, copy.Link, copy.Parents));
        Assert.Equal(["*.md", ".git"], copy.Exclude);

        var add = Single<AddInstruction>("ADD --keep-git-dir=false --checksum=sha256:abc https://x/y.tgz /z");
        Assert.False(add.KeepGitDir);
        Assert.Null(add.Unpack);
        Assert.Equal("sha256:abc", add.Checksum);
    }

    [Fact]
    public void CopyHeredocSources()
    {
        var copy = Single<CopyInstruction>("COPY <<-EOF /etc/motd\n\thello\n\tEOF");
        Assert.Empty(copy.Sources);
        Assert.Equal(new SourceContent("EOF", "hello\n", true), Assert.Single(copy.SourceContents));
    }

    [Fact]
    public void EnvLabelArgExposeVolume()
    {
        var env = Single<EnvInstruction>("ENV A=1 B=\"two words\"");
        Assert.Equal([new KeyValue("A", "1", false), new KeyValue("B", "\"two words\"", false)], env.Pairs);
        Assert.True(Single<EnvInstruction>("ENV LEGACY some value").Pairs[0].NoDelimiter);
        Assert.Equal(["443/tcp", "80"], Single<ExposeInstruction>("EXPOSE 80 443/tcp").Ports);
        Assert.Equal(["/data", "/logs"], Single<VolumeInstruction>("VOLUME [\"/data\", \"/logs\"]").Paths);
        var arg = Single<ArgInstruction>("ARG A B=2 C=");
        Assert.Equal([new ArgDefinition("A", null), new ArgDefinition("B", "2"), new ArgDefinition("C", "")], arg.Args);
    }

    [Fact]
    public void HealthcheckForms()
    {
        var hc = Single<HealthcheckInstruction>("HEALTHCHECK --interval=30s --timeout=1m30s --start-period=500ms --retries=3 CMD curl -f http://localhost/");
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost/"], hc.Test);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500), 3),
            (hc.Interval, hc.Timeout, hc.StartPeriod, hc.Retries));
        Assert.Equal(["CMD", "true"], Single<HealthcheckInstruction>("HEALTHCHECK CMD [\"true\"]").Test);
        Assert.Equal(["NONE"], Single<HealthcheckInstruction>("HEALTHCHECK NONE").Test);
    }

    [Fact]
    public void OnbuildShellUserWorkdirStopsignalMaintainer()
    {
        var on = Single<OnbuildInstruction>("ONBUILD RUN make");
        Assert.Equal("RUN make", on.Expression);
        Assert.IsType<RunInstruction>(on.Trigger);
        Assert.Equal(["/bin/bash", "-c"], Single<ShellInstruction>("SHELL [\"/bin/bash\", \"-c\"]").Shell);
        Assert.Equal("app:app", Single<UserInstruction>("USER app:app").User);
        Assert.Equal("/srv", Single<WorkdirInstruction>("WORKDIR /srv").Path);
        Assert.Equal("SIGTERM", Single<StopsignalInstruction>("STOPSIGNAL SIGTERM").Signal);
        Assert.Equal("Jane <j@x>", Single<MaintainerInstruction>("MAINTAINER Jane <j@x>").Maintainer);
        var entry = Single<EntrypointInstruction>("ENTRYPOINT [\"/init\"]");
        Assert.False(entry.PrependShell);
        Assert.True(Single<CmdInstruction>("CMD echo hi").PrependShell);
    }

    [Theory]
    [InlineData("FROM a\nFOOBAR x\n", "Dockerfile:2:1: unknown instruction: FOOBAR")]
    [InlineData("FROM a\nRUNN x\n", "Dockerfile:2:1: unknown instruction: RUNN (did you mean run?)")]
    [InlineData("FROM a\n\nCOPY --form=b x /y\n", "Dockerfile:3:1: unknown flag: --form (did you mean from?)")]
    [InlineData("FROM a\nCOPY --chown x /y\n", "Dockerfile:2:1: missing a value on flag: --chown")]
    [InlineData("FROM a\nCOPY x\n", "Dockerfile:2:1: COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM a AS 1x\n", "Dockerfile:1:1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols")]
    [InlineData("FROM a b\n", "Dockerfile:1:1: FROM requires either one or three arguments")]
    [InlineData("RUN x\n", "Dockerfile:1:1: no build stage in current context")]
    [InlineData("FROM a\nSHELL /bin/sh -c\n", "Dockerfile:2:1: SHELL requires the arguments to be in JSON form")]
    [InlineData("FROM a\nONBUILD ONBUILD RUN x\n", "Dockerfile:2:1: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("FROM a\nHEALTHCHECK --retries=-1 CMD x\n", "Dockerfile:2:1: --retries cannot be negative (-1)")]
    [InlineData("FROM a\nHEALTHCHECK --interval=soon CMD x\n", "Dockerfile:2:1: time: invalid duration \"soon\" for --interval")]
    [InlineData("FROM a\nRUN --network=bridge x\n", "Dockerfile:2:1: invalid network mode \"bridge\"")]
    [InlineData("FROM a\nRUN --mount=type=bind,from=$X,target=/x y\n", "Dockerfile:2:1: 'from' doesn't support variable expansion, define alias stage instead")]
    [InlineData("FROM a\nCOPY a <<EOF\nx\nEOF\n", "Dockerfile:2:1: COPY cannot accept a heredoc as a destination")]
    public void ErrorsNameFileLineAndProblem(string text, string message)
        => Assert.Equal(message, Assert.Throws<DockerfileParseException>(() => Parse(text)).Message);
}
