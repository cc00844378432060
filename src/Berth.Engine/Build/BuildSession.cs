using Berth.Build.Parser;
using Berth.Build.Parser.Instructions;
using Berth.Build.Planning;
using Berth.Build.Shell;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Core.Oci;
using Berth.Images;

namespace Berth.Engine.Build;

/// <summary>
/// One build: the needed stages in Dockerfile order, each instruction a step. A step that changes the filesystem (RUN,
/// COPY, ADD, WORKDIR of a new directory) commits a layer; the others commit only a config. Every step's image is
/// cached by <see cref="CacheKey"/>, so an unchanged rebuild returns the very same images.
/// </summary>
internal sealed partial class BuildSession
{
    private readonly BuildService _svc;
    private readonly BuildRequest _req;
    private readonly BuildContextDir _context;
    private readonly BuildDefinition _def;
    private readonly Action<JsonMessage> _emit;
    private readonly Action<string> _output;
    private readonly ShellLex _lex;
    private readonly BuildArgs _args;
    private readonly Dictionary<int, StageState> _done = new();     // guarded by itself; stages read only those they waited for
    private readonly Dictionary<string, Task<ImageRecord>> _baseImages = new(StringComparer.Ordinal);
    private int _total;

    public BuildSession(BuildService svc, BuildRequest req, BuildContextDir context, BuildDefinition def, Action<JsonMessage> output)
    {
        _emit = output;
        _output = text => output(new JsonMessage { Stream = text });
        _svc = svc;
        _req = req;
        _context = context;
        _def = def;
        _lex = new ShellLex(def.EscapeToken);
        _args = new BuildArgs(req.BuildArgs, def.MetaArgs, _lex);
    }

    /// <summary>The state of the stage being built: its image so far and the config the next step starts from.</summary>
    private sealed class StageState
    {
        public ImageRecord? Image;
        public ImageConfigFile Config = new();
        public StageArgs Args = new();
        public bool CmdSet;
        public int Index;
        /// <summary>The number of the step being built, counted over the whole build as a serial build numbers them.</summary>
        public int Step;
        /// <summary>ONBUILD triggers of the base image, run before the stage's first instruction.</summary>
        public List<string>? Triggers;
        public Action<JsonMessage> Emit = _ => { };
        public void Output(string text) => Emit(new JsonMessage { Stream = text });
        public ContainerRunConfig Run => Config.Config ??= new ContainerRunConfig();
    }

    public static string Short(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..19] : id[..Math.Min(12, id.Length)];

    /// <summary>
    /// Builds the needed stages, each as soon as the stages it depends on are built, so independent ones overlap. Their output
    /// comes out in Dockerfile order (<see cref="OrderedStageOutput"/>). The first stage to fail cancels the others.
    /// </summary>
    public async Task<ImageRecord> RunAsync(CancellationToken ct)
    {
        int target = StagePlan.Target(_def, _req.Target);
        var needed = StagePlan.Needed(_def, target, _args.Meta, _lex);
        var firstStep = new Dictionary<int, int>();
        foreach (int i in needed)
        {
            firstStep[i] = _total;
            _total += 1 + _def.Stages[i].Instructions.Count;
        }
        var output = new OrderedStageOutput(needed, _emit);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Exception? failure = null;
        var stages = new Dictionary<int, Task<StageState>>();
        foreach (int i in needed)
        {
            var deps = StagePlan.DependsOn(_def, i, _args.Meta, _lex).Select(d => stages[d]).ToList();
            int index = i;
            stages[i] = Task.Run(async () =>
            {
                await Task.WhenAll(deps);
                var s = new StageState { Index = index, Step = firstStep[index], Emit = output.For(index) };
                try
                {
                    await BuildStageAsync(s, cancel.Token);
                }
                catch (Exception e)
                {
                    // The first failure is the build's; the stages it cancels end quietly.
                    if (Interlocked.CompareExchange(ref failure, e, null) == null)
                    {
                        output.Release(index);
                        cancel.Cancel();
                    }
                    throw;
                }
                lock (_done) _done[index] = s;
                output.Finish(index);
                return s;
            }, CancellationToken.None);
        }
        try
        {
            await Task.WhenAll(stages.Values);
        }
        catch when (failure != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        var last = stages[target].Result;
        if (_args.Unconsumed() is { Count: > 0 } unused)
            _output($"[Warning] One or more build-args [{string.Join(' ', unused)}] were not consumed\n");
        if (_req.Labels.Count > 0) await LabelsAsync(last, target);
        return last.Image ?? _svc.Images.CreateWithParentLayers(null, ImageStore.CloneConfig(last.Config));
    }

    private async Task BuildStageAsync(StageState s, CancellationToken ct)
    {
        var stage = _def.Stages[s.Index];
        s.Output($"Step {++s.Step}/{_total} : {stage.From.Original}\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await FromAsync(s, stage, ct);
        Took(s, clock);
        for (int n = 0; n < stage.Instructions.Count; n++)
        {
            ct.ThrowIfCancellationRequested();
            var ins = stage.Instructions[n];
            s.Output($"Step {++s.Step}/{_total} : {ins.Original}\n");
            clock.Restart();
            await StepAsync(s, ins, $"{s.Index}/{n}", ct);
            Took(s, clock);
        }
    }

    /// <summary>The step's wall time, when the client asked for timings (Berth's CLI does; the docker CLI's classic output has none).</summary>
    private void Took(StageState s, System.Diagnostics.Stopwatch clock)
    {
        if (_req.StepTimings) s.Output($" ---> Took {clock.Elapsed.TotalSeconds:0.00}s\n");
    }

    private async Task FromAsync(StageState s, Stage stage, CancellationToken ct)
    {
        string name = _lex.ProcessWord(stage.BaseImage, _args.Meta);
        if (name.Length == 0)
            throw new DockerfileParseException(_req.Dockerfile, stage.From.StartLine, 1, $"base name ({stage.BaseImage}) should not be blank");
        int earlier = StagePlan.Find(_def, name, s.Index);
        if (earlier >= 0)
        {
            var prior = Done(earlier);
            s.Image = prior.Image;
            s.Config = ImageStore.CloneConfig(prior.Config);
        }
        else if (name.Equals("scratch", StringComparison.OrdinalIgnoreCase))
        {
            var (os, arch) = (BuildArgs.PlatformArgs().First(a => a.Key == "TARGETOS").Value, BuildArgs.PlatformArgs().First(a => a.Key == "TARGETARCH").Value);
            s.Config = new ImageConfigFile { Os = os, Architecture = arch, Config = new ContainerRunConfig() };
        }
        else
        {
            s.Image = await BaseImageAsync(s, name, ct);
            s.Config = ImageStore.CloneConfig(s.Image.Config);
        }
        s.Output($" ---> {(s.Image == null ? "scratch" : Short(s.Image.Id))}\n");
        var triggers = s.Run.OnBuild;
        s.Run.OnBuild = null;
        if (earlier < 0 && triggers is { Count: > 0 }) s.Triggers = triggers;
    }

    /// <summary>
    /// An image the build starts FROM or copies --from: the local one, else (or always with --pull) pulled as Docker's builder
    /// does, its progress in the build's stream. Each name is pulled once per build, however many stages use it.
    /// </summary>
    private Task<ImageRecord> BaseImageAsync(StageState s, string name, CancellationToken ct)
    {
        lock (_baseImages)
        {
            if (!_baseImages.TryGetValue(name, out var image))
            {
                var local = _svc.Images.TryResolve(name, out bool byId);
                image = local != null && (!_req.Pull || byId) ? Task.FromResult(local) : _svc.Registry.PullForBuildAsync(name, _req.RegistryAuths, s.Emit, ct);
                _baseImages[name] = image;
            }
            return image;
        }
    }

    private async Task StepAsync(StageState s, Instruction ins, string stepName, CancellationToken ct)
    {
        if (s.Triggers is { } triggers)
        {
            s.Triggers = null;
            s.Output($"# Executing {triggers.Count} build trigger{(triggers.Count == 1 ? "" : "s")}\n");
            for (int t = 0; t < triggers.Count; t++)
            {
                var node = DockerfileParser.Parse(triggers[t] + "\n", "ONBUILD").Instructions[0];
                await StepAsync(s, InstructionParser.Parse(node, "ONBUILD") with { Original = triggers[t] }, stepName + "/onbuild" + t, ct);
            }
        }
        switch (ins)
        {
            case RunInstruction run:
                await RunAsync(s, run, stepName, ct);
                break;
            case CopyInstruction c:
                await CopyAsync(s, c.Sources, c.SourceContents, c.Dest, c.From, c.Chown, c.Chmod, c.Exclude, "COPY", null, stepName, ct);
                break;
            case AddInstruction a:
                await CopyAsync(s, a.Sources, a.SourceContents, a.Dest, null, a.Chown, a.Chmod, a.Exclude, "ADD", a.Checksum, stepName, ct);
                break;
            case ArgInstruction arg:
                lock (_args)
                    foreach (var def in arg.Args) _args.Declare(def, s.Args, _lex, Env(s));
                break;
            case WorkdirInstruction w:
                await WorkdirAsync(s, w, stepName);
                break;
            default:
                await ConfigStepAsync(s, ins, stepName);
                break;
        }
    }

    private StageState Done(int stage)
    {
        lock (_done) return _done[stage];
    }

    private Dictionary<string, string> Env(StageState s) => s.Args.ExpansionEnv(s.Run.Env);

    private string Expand(StageState s, string word) => _lex.ProcessWord(word, Env(s));

    private string ParentId(StageState s) => s.Image?.Id ?? "scratch";

    /// <summary>Reuses the image an equal step made before, or makes it with <paramref name="make"/> and remembers it.</summary>
    private async Task Cached(StageState s, string stepName, CacheKey key, IReadOnlyDictionary<string, string>? files, Func<Task<ImageRecord>> make)
    {
        string explainName = $"{_req.Dockerfile}|{string.Join(',', _req.Tags)}|{_req.Target}|{stepName}";
        ImageRecord? image = _req.NoCache ? null : _svc.Cache.Lookup(key);
        if (image != null)
        {
            s.Output(" ---> CACHED\n");
        }
        else
        {
            if (_req.ExplainCache)
            {
                var (lastKey, lastFiles) = _svc.Cache.Last(explainName);
                string reason = _req.NoCache ? "--no-cache was given" : key.ExplainMiss(lastKey, lastFiles, files) ?? "the earlier result was removed";
                s.Output($" ---> cache miss: {reason}\n");
            }
            image = await make();
            _svc.Cache.Store(key, image.Id);
        }
        _svc.Cache.RecordLast(explainName, key, files);
        s.Image = image;
        s.Config = ImageStore.CloneConfig(image.Config);
        s.Output($" ---> {Short(image.Id)}\n");
    }

    /// <summary>A copy of the stage's config with one more history entry, ready to commit.</summary>
    private static ImageConfigFile NextConfig(ImageConfigFile current, string createdBy, bool emptyLayer, Action<ContainerRunConfig>? change = null)
    {
        var cfg = ImageStore.CloneConfig(current);
        cfg.Config ??= new ContainerRunConfig();
        change?.Invoke(cfg.Config);
        var now = DateTimeOffset.UtcNow;
        cfg.Created = now;
        cfg.History ??= new List<HistoryEntry>();
        cfg.History.Add(new HistoryEntry { Created = now, CreatedBy = createdBy, Comment = "berth build", EmptyLayer = emptyLayer ? true : null });
        return cfg;
    }
}
