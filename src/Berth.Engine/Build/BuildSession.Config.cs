using Berth.Build.Parser.Instructions;
using Berth.Build.Planning;
using Berth.Core;
using Berth.Core.Oci;

namespace Berth.Engine.Build;

internal sealed partial class BuildSession
{
    /// <summary>Instructions that change only the image config: one empty-layer history entry each.</summary>
    private async Task ConfigStepAsync(StageState s, Instruction ins, string stepName)
    {
        var env = Env(s);
        string X(string w) => _lex.ProcessWord(w, env);
        string createdBy;
        Action<ContainerRunConfig> change;
        Action<ImageConfigFile>? top = null;
        switch (ins)
        {
            case EnvInstruction e:
                var pairs = e.Pairs.Select(p => (Key: X(p.Key), Value: X(p.Value))).ToList();
                createdBy = "ENV " + string.Join(' ', pairs.Select(p => p.Key + "=" + p.Value));
                change = c =>
                {
                    c.Env ??= new List<string>();
                    foreach (var (k, v) in pairs)
                    {
                        int at = c.Env.FindIndex(x => x == k || x.StartsWith(k + "=", StringComparison.Ordinal));
                        if (at >= 0) c.Env[at] = k + "=" + v;
                        else c.Env.Add(k + "=" + v);
                    }
                };
                break;
            case LabelInstruction l:
                var labels = l.Pairs.Select(p => (Key: X(p.Key), Value: X(p.Value))).ToList();
                createdBy = "LABEL " + string.Join(' ', labels.Select(p => p.Key + "=" + p.Value));
                change = c =>
                {
                    c.Labels ??= new Dictionary<string, string>();
                    foreach (var (k, v) in labels) c.Labels[k] = v;
                };
                break;
            case MaintainerInstruction m:
                string author = X(m.Maintainer);
                createdBy = "MAINTAINER " + author;
                change = _ => { };
                top = f => f.Author = author;
                break;
            case ExposeInstruction ex:
                var ports = ex.Ports.SelectMany(p => X(p).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(p => p.Contains('/') ? p.ToLowerInvariant() : p + "/tcp").ToList();
                createdBy = "EXPOSE " + string.Join(' ', ports);
                change = c =>
                {
                    c.ExposedPorts ??= new();
                    foreach (var p in ports) c.ExposedPorts[p] = new EmptyObject();
                };
                break;
            case VolumeInstruction v:
                var paths = v.Paths.Select(X).Where(p => p.Length > 0).ToList();
                if (paths.Count == 0) throw BerthException.Invalid("VOLUME specified can not be an empty string");
                createdBy = "VOLUME [" + string.Join(' ', paths) + "]";
                change = c =>
                {
                    c.Volumes ??= new();
                    foreach (var p in paths) c.Volumes[p] = new EmptyObject();
                };
                break;
            case UserInstruction u:
                string user = X(u.User);
                createdBy = "USER " + user;
                change = c => c.User = user;
                break;
            case StopsignalInstruction sig:
                string signal = X(sig.Signal);
                createdBy = "STOPSIGNAL " + signal;
                change = c => c.StopSignal = signal;
                break;
            case CmdInstruction cmd:
                var cmdLine = CommandOf(s, cmd.CommandLine, cmd.PrependShell);
                createdBy = "CMD " + Json(cmdLine);
                s.CmdSet = true;
                change = c => c.Cmd = cmdLine;
                break;
            case EntrypointInstruction ep:
                var epLine = CommandOf(s, ep.CommandLine, ep.PrependShell);
                createdBy = "ENTRYPOINT " + Json(epLine);
                bool resetCmd = !s.CmdSet;
                change = c =>
                {
                    c.Entrypoint = epLine;
                    if (resetCmd) c.Cmd = null; // an inherited CMD is dropped when ENTRYPOINT is set, as Docker does
                };
                break;
            case ShellInstruction sh:
                var shell = sh.Shell.ToList();
                createdBy = "SHELL " + Json(shell);
                change = c => c.Shell = shell;
                break;
            case HealthcheckInstruction hc:
                createdBy = "HEALTHCHECK " + Json(hc.Test.ToList());
                change = c => c.Healthcheck = new HealthcheckConfig
                {
                    Test = hc.Test.ToList(),
                    Interval = Nanos(hc.Interval), Timeout = Nanos(hc.Timeout),
                    StartPeriod = Nanos(hc.StartPeriod), StartInterval = Nanos(hc.StartInterval),
                    Retries = hc.Retries == 0 ? null : hc.Retries,
                };
                break;
            case OnbuildInstruction ob:
                createdBy = "ONBUILD " + ob.Expression;
                change = c => (c.OnBuild ??= new List<string>()).Add(ob.Expression);
                break;
            default:
                throw BerthException.Invalid($"{ins.Keyword} is not supported by this builder");
        }
        var key = new CacheKey(ParentId(s), createdBy, Array.Empty<KeyValuePair<string, string>>(), null);
        await Cached(s, stepName, key, null, () =>
        {
            var cfg = NextConfig(s.Config, createdBy, emptyLayer: true, change);
            top?.Invoke(cfg);
            return Task.FromResult(_svc.Images.CreateWithParentLayers(s.Image, cfg));
        });
    }

    /// <summary>--label values of the build, applied to the final image as one more config step.</summary>
    private async Task LabelsAsync(StageState s, int target)
    {
        var labels = _req.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
        string createdBy = "LABEL " + string.Join(' ', labels.Select(l => l.Key + "=" + l.Value));
        var key = new CacheKey(ParentId(s), createdBy, Array.Empty<KeyValuePair<string, string>>(), null);
        await Cached(s, $"{target}/labels", key, null, () =>
            Task.FromResult(_svc.Images.CreateWithParentLayers(s.Image, NextConfig(s.Config, createdBy, true, c =>
            {
                c.Labels ??= new Dictionary<string, string>();
                foreach (var (k, v) in labels) c.Labels[k] = v;
            }))));
    }

    private static List<string> CommandOf(StageState s, IReadOnlyList<string> line, bool prependShell) =>
        prependShell ? [.. s.Run.Shell ?? ["/bin/sh", "-c"], .. line] : line.ToList();

    private static long? Nanos(TimeSpan t) => t == TimeSpan.Zero ? null : t.Ticks * 100;

    private static string Json(List<string> words) =>
        "[" + string.Join(",", words.Select(w => "\"" + System.Text.Json.JsonEncodedText.Encode(w, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"")) + "]";
}
