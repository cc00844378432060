using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Runtime.Monitor;
using Berth.Runtime.Security;
using Berth.Runtime.Spec;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    private readonly Dictionary<string, ExecRecord> _execs = new();

    public string ExecCreate(string idOrName, ExecCreateRequest req)
    {
        var rec = Store.Resolve(idOrName);
        if (!rec.State.Running) throw BerthException.Conflict($"container {rec.Id} is not running");
        if (req.Cmd is not { Count: > 0 }) throw BerthException.Invalid("No exec command specified");
        foreach (var e in req.Env ?? new())
            if (e.Length == 0 || e[0] == '=') throw BerthException.Invalid($"invalid environment variable: \"{e}\"");
        var exec = new ExecRecord { Id = ContainerNames.NewId(), ContainerId = rec.Id, Request = req };
        lock (_execs) _execs[exec.Id] = exec;
        lock (Live(rec.Id))
        {
            rec.ExecIds.Add(exec.Id);
            Store.Save(rec);
        }
        Emit(rec, "exec_create: " + string.Join(' ', req.Cmd), new() { ["execID"] = exec.Id });
        return exec.Id;
    }

    public ExecRecord GetExec(string id)
    {
        lock (_execs)
            return _execs.TryGetValue(id, out var e) ? e : throw BerthException.NotFound($"No such exec instance: {id}");
    }

    /// <summary>Fails as exec start would for a started exec or a stopped container, before a connection is upgraded.</summary>
    public void CheckExecStartable(string execId)
    {
        var exec = GetExec(execId);
        if (exec.Started) throw BerthException.Conflict($"exec {execId} has already been started");
        if (!Store.Resolve(exec.ContainerId).State.Running) throw BerthException.Conflict($"container {exec.ContainerId} is not running");
    }

    /// <summary>Starts an exec; returns its stream (null when detached).</summary>
    public async Task<Stream?> ExecStartAsync(string execId, bool detach, bool tty, CancellationToken ct)
    {
        var exec = GetExec(execId);
        var rec = Store.Resolve(exec.ContainerId);
        lock (exec)
        {
            if (exec.Started) throw BerthException.Conflict($"exec {execId} has already been started");
            exec.Started = true;
        }
        if (!rec.State.Running) throw BerthException.Conflict($"container {rec.Id} is not running");
        var req = exec.Request;
        var rw = _snapshots.GetRw(rec.RwLayerKey);
        var rootfs = new LayeredRootfs(new[] { rw.UpperDir }.Concat(rw.LowerDirs).ToList());
        var user = UserSpec.Resolve(string.IsNullOrEmpty(req.User) ? rec.Config.User : req.User, rootfs, rec.HostConfig.GroupAdd);
        var hc = rec.HostConfig;
        var env = SpecBuilder.Env(rec.Config.Env, req.Env, rec.Config.Hostname ?? rec.Id[..12], req.Tty || tty);
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal))) env.Add("HOME=" + (string.IsNullOrEmpty(user.Home) ? "/" : user.Home));
        var process = new ProcessSpec
        {
            Args = req.Cmd!,
            Env = env,
            Cwd = string.IsNullOrEmpty(req.WorkingDir) ? (string.IsNullOrEmpty(rec.Config.WorkingDir) ? "/" : rec.Config.WorkingDir!) : req.WorkingDir!,
            Uid = user.Uid,
            Gid = user.Gid,
            AdditionalGids = user.Groups,
            Terminal = req.Tty || tty,
            Capabilities = hc.Privileged || req.Privileged
                ? Capabilities.Privileged().ToList()
                : Capabilities.Adjust(Capabilities.DockerDefault, hc.CapAdd ?? new(), hc.CapDrop ?? new()),
            NoNewPrivileges = !(hc.SecurityOpt ?? new()).Any(o => o is "no-new-privileges:false" or "no-new-privileges=false"),
        };
        Emit(rec, "exec_start: " + string.Join(' ', req.Cmd!), new() { ["execID"] = exec.Id });
        exec.Running = true;
        var client = new MonitorClient(StateDir(rec.Id));
        try
        {
            var stream = await client.ExecAsync(exec.Id, process, process.Terminal, !detach && req.AttachStdin, !detach && req.AttachStdout, !detach && req.AttachStderr,
                req.DetachKeys, req.ConsoleSize is { Count: 2 } cs ? (ushort)cs[0] : (ushort)0, req.ConsoleSize is { Count: 2 } cs2 ? (ushort)cs2[1] : (ushort)0, ct);
            if (!detach) return stream;
            await stream.DisposeAsync();
            return null;
        }
        catch
        {
            exec.Running = false;
            throw;
        }
    }

    public async Task<ExecInspectResponse> ExecInspectAsync(string execId, CancellationToken ct)
    {
        var exec = GetExec(execId);
        var rec = Store.TryResolve(exec.ContainerId);
        if (exec.Started && exec.Running && rec != null && rec.State.Running)
        {
            try
            {
                var st = await new MonitorClient(StateDir(rec.Id)).ExecInspectAsync(execId, ct);
                exec.Running = st.Running;
                exec.ExitCode = st.ExitCode;
                exec.Pid = st.Pid;
            }
            catch (Exception) { exec.Running = false; }
        }
        else if (exec.Running)
        {
            exec.Running = false;
        }
        var req = exec.Request;
        return new ExecInspectResponse
        {
            ID = exec.Id,
            ContainerID = exec.ContainerId,
            Running = exec.Running,
            ExitCode = exec.Running || !exec.Started ? null : exec.ExitCode,
            Pid = exec.Pid,
            CanRemove = false,
            DetachKeys = req.DetachKeys ?? "",
            OpenStdin = req.AttachStdin,
            OpenStdout = req.AttachStdout,
            OpenStderr = req.AttachStderr,
            ProcessConfig = new ExecProcessConfig
            {
                Entrypoint = req.Cmd![0],
                Arguments = req.Cmd.Skip(1).ToList(),
                Privileged = req.Privileged,
                Tty = req.Tty,
                User = req.User ?? "",
            },
        };
    }

    public async Task ExecResizeAsync(string execId, int height, int width, CancellationToken ct)
    {
        var exec = GetExec(execId);
        await new MonitorClient(StateDir(exec.ContainerId)).ResizeAsync((ushort)height, (ushort)width, execId, ct);
    }
}
