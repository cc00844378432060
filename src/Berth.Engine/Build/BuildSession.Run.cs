using System.Buffers.Binary;
using System.Text;
using Berth.Build.Parser.Instructions;
using Berth.Build.Planning;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Images;

namespace Berth.Engine.Build;

internal sealed partial class BuildSession
{
    private const int TailLines = 10;

    private async Task RunAsync(StageState s, RunInstruction run, string stepName, CancellationToken ct)
    {
        var cmd = run.PrependShell ? [.. s.Run.Shell ?? ["/bin/sh", "-c"], Script(run)] : run.CommandLine.ToList();
        var args = s.Args.WithValues().ToList();
        string createdBy = "RUN " + (args.Count > 0 ? $"|{args.Count} {string.Join(' ', args.Select(a => a.Key + "=" + a.Value))} " : "") + string.Join(' ', cmd);
        string network = run.Network == "default" ? _req.NetworkMode : run.Network;
        if (network is "default" or "") network = "bridge";
        if (network is not ("bridge" or "none" or "host")) throw BerthException.Invalid($"network mode \"{network}\" is not supported for RUN: use default, none or host");
        var (mounts, mountKey) = await PlanMountsAsync(s, run, ct);
        var key = new CacheKey(ParentId(s), createdBy + "\n#network=" + network + mountKey, args, null);
        await Cached(s, stepName, key, null, () => ExecuteRunAsync(s, run, cmd, args, network, createdBy, mounts, ct));
    }

    /// <summary>
    /// The shell script of a shell-form RUN. A RUN that is only one here-document runs its content; otherwise the
    /// here-documents follow the command line, where the shell reads them as it would in a script.
    /// </summary>
    private static string Script(RunInstruction run)
    {
        string line = string.Join(' ', run.CommandLine);
        if (run.Heredocs.Count == 0) return line;
        if (run.Heredocs.Count == 1 && line.Trim().TrimStart('<').TrimStart('-').Trim('"', '\'') == run.Heredocs[0].Name)
            return run.Heredocs[0].EffectiveContent;
        var sb = new StringBuilder(line).Append('\n');
        foreach (var h in run.Heredocs) sb.Append(h.Content).Append(h.Name).Append('\n');
        return sb.ToString();
    }

    private async Task<ImageRecord> ExecuteRunAsync(StageState s, RunInstruction run, List<string> cmd, List<KeyValuePair<string, string>> args,
        string network, string createdBy, IReadOnlyList<RunMountPlan> mounts, CancellationToken ct)
    {
        if (s.Image == null) throw BerthException.Invalid("RUN needs a filesystem to run in, but this stage starts FROM scratch and has no files yet");
        using var held = await RealizeMountsAsync(mounts, ct);
        var env = (s.Run.Env ?? new List<string>()).ToList();
        var envKeys = env.Select(e => e.Split('=')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var (k, v) in args.Concat(_args.GivenProxyArgs()))
            if (envKeys.Add(k)) env.Add(k + "=" + v);
        var request = new ContainerCreateRequest
        {
            Image = s.Image.Id,
            Cmd = cmd,
            Entrypoint = [""],
            Env = env,
            User = s.Run.User ?? "",
            WorkingDir = s.Run.WorkingDir ?? "",
            AttachStdout = true,
            AttachStderr = true,
            Healthcheck = new HealthConfig { Test = ["NONE"] },
            HostConfig = new HostConfig { NetworkMode = network, PidsLimit = _req.PidsLimit, Mounts = held.Mounts.Count > 0 ? held.Mounts : null },
        };
        var containers = _svc.Containers;
        string id = containers.Create(request, null).Id;
        s.Output($" ---> Running in {id[..12]}\n");
        var tail = new StringBuilder();
        try
        {
            var attach = containers.AttachAsync(id, false, true, true, null, ct);
            containers.Start(id, userRequested: false);
            await using (var stream = await attach) await PumpAsync(s, stream, tail, ct);
            int code = await containers.WaitAsync(id, null, ct);
            if (code != 0)
            {
                var lines = tail.ToString().TrimEnd('\n').Split('\n').TakeLast(TailLines).Where(l => l.Length > 0).ToList();
                throw BerthException.Invalid($"The command '{string.Join(' ', cmd)}' returned a non-zero code: {code} (step {s.Step}/{_total}: {run.Original})" +
                    (lines.Count > 0 ? "; last lines of output:\n" + string.Join('\n', lines) : ""));
            }
            var rw = _svc.Images.Snapshots.GetRw(containers.Store.Resolve(id).RwLayerKey);
            RemoveMountStubs(rw, mounts.Select(m => m.Target));
            var image = _svc.Images.CommitUpperDir(s.Image, rw.UpperDir, NextConfig(s.Config, createdBy, emptyLayer: false), null);
            return _svc.Images.WithParent(image, s.Image);
        }
        finally
        {
            try { containers.Remove(id, force: true, removeVolumes: true); }
            catch (BerthException) { /* already gone */ }
            s.Output($" ---> Removed intermediate container {id[..12]}\n");
        }
    }

    /// <summary>Forwards the container's multiplexed output as it comes, keeping its last few KiB for an error message.</summary>
    private static async Task PumpAsync(StageState s, Stream stream, StringBuilder tail, CancellationToken ct)
    {
        var header = new byte[8];
        var payload = new byte[32 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[payload.Length + 8];
        while (await stream.ReadAtLeastAsync(header, 8, throwOnEndOfStream: false, ct) == 8)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (length > 0)
            {
                int n = await stream.ReadAsync(payload.AsMemory(0, Math.Min(length, payload.Length)), ct);
                if (n == 0) return;
                length -= n;
                int c = decoder.GetChars(payload, 0, n, chars, 0);
                string text = new(chars, 0, c);
                s.Output(text);
                tail.Append(text);
                if (tail.Length > 8192) tail.Remove(0, tail.Length - 4096);
            }
        }
    }
}
