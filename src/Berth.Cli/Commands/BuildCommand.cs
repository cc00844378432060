using System.Text;
using System.Text.Json;
using Berth.Build.Parser;
using Berth.Cli.Terminal;
using Berth.Client;
using Berth.Core;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>berth build: sends the context to the daemon's /build and prints its progress; --print-ast only parses locally.</summary>
internal static class BuildCommand
{
    public static async Task<int> BuildAsync(CommandContext ctx)
    {
        if (ctx.Flags.String("print-ast") is { Length: > 0 } file) return PrintAst(ctx, [file, .. ctx.Args]);
        if (ctx.Args.Count != 1) throw new CommandFailedException(1, "\"build\" requires exactly 1 argument.\nSee 'berth build --help'.");
        string path = ctx.Args[0];
        string? dockerfile = ctx.Flags.String("file");
        string progress = ctx.Flags.String("progress") ?? "auto";
        if (progress is not ("auto" or "plain" or "tty" or "quiet")) throw new CommandFailedException(1, $"invalid progress mode \"{progress}\": use auto, plain or tty");
        bool quiet = ctx.Flags.Bool("quiet") || progress == "quiet";
        string spool = Path.Combine(Path.GetTempPath(), "berth-context-" + Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            string dockerfileName;
            await using (var tar = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
            {
                dockerfileName = path == "-" ? await StdinContextAsync(tar, dockerfile) : PackDirectory(path, dockerfile, tar);
                tar.Position = 0;
                var args = ctx.Flags.List("build-arg").ToDictionary(a => a.Split('=')[0], a => a.Contains('=') ? a[(a.IndexOf('=') + 1)..] : Environment.GetEnvironmentVariable(a));
                var labels = ctx.Flags.List("label").ToDictionary(a => a.Split('=')[0], a => a.Contains('=') ? a[(a.IndexOf('=') + 1)..] : "");
                using var response = await ctx.Client.BuildAsync(tar, ctx.Flags.List("tag"), dockerfileName, JsonMap(args), labels.Count == 0 ? null : JsonMap(labels!),
                    ctx.Flags.String("target"), ctx.Flags.Bool("no-cache"), ctx.Flags.Bool("pull"), quiet, ctx.Flags.String("network"), progress == "plain", stepTimings: true,
                    secretsHeader: BuildSecrets.Header(ctx.Flags.List("secret")), registryConfig: RegistryConfig()).ConfigureAwait(false);
                string? id = null;
                var status = new StatusLines(quiet ? TextWriter.Null : ctx.Out, progress == "tty" || (progress == "auto" && RawTerminal.IsTerminal(1)));
                await foreach (var m in EngineClient.ReadJsonLinesAsync(response.Body, EngineApiJson.Default.JsonMessage).ConfigureAwait(false))
                {
                    if (m.Error != null || m.ErrorDetail?.Message != null)
                        throw new CommandFailedException(1, "ERROR: " + (m.ErrorDetail?.Message ?? m.Error));
                    if (m.Stream != null && !quiet)
                    {
                        ctx.Out.Write(m.Stream);
                        status.Reset();
                    }
                    else if (m.Status != null) status.Write(m);
                    if (m.Aux is { ValueKind: JsonValueKind.Object } aux && aux.TryGetProperty("ID", out var idProp)) id = idProp.GetString();
                    await ctx.Out.FlushAsync().ConfigureAwait(false);
                }
                if (id == null) throw new CommandFailedException(1, "ERROR: the daemon ended the build without an image ID");
                if (quiet) ctx.Out.WriteLine(id);
                if (ctx.Flags.String("iidfile") is { Length: > 0 } iidfile) await File.WriteAllTextAsync(iidfile, id).ConfigureAwait(false);
            }
            return 0;
        }
        catch (IOException e)
        {
            throw new CommandFailedException(1, $"berth: {e.Message}");
        }
    }

    /// <summary>
    /// Every stored login, for the images FROM and COPY --from pull (the builder cannot ask for credentials mid-build); null
    /// when there are none. The docker CLI sends the same.
    /// </summary>
    private static string? RegistryConfig()
    {
        var auths = Registry.DockerConfigFile.Load().All();
        return auths.Count == 0 ? null : EngineClient.EncodeRegistryConfig(auths);
    }

    private static string PackDirectory(string path, string? dockerfile, Stream tar)
    {
        if (!Directory.Exists(path)) throw new CommandFailedException(1, $"unable to prepare context: path \"{path}\" not found");
        string df = dockerfile == null ? Path.Combine(path, "Dockerfile") : dockerfile == "-" ? "-" : dockerfile;
        if (df == "-")
        {
            // -f - : the Dockerfile comes from stdin, the context from PATH.
            string tmp = Path.Combine(Path.GetTempPath(), "berth-dockerfile-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(tmp, Console.In.ReadToEnd());
            try { return BuildContextTar.Write(path, tmp, tar); }
            finally { File.Delete(tmp); }
        }
        if (!File.Exists(df)) throw new CommandFailedException(1, $"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {Path.GetFullPath(df)}: no such file or directory");
        return BuildContextTar.Write(path, df, tar);
    }

    private static async Task<string> StdinContextAsync(Stream tar, string? dockerfile)
    {
        await using var stdin = Console.OpenStandardInput();
        await stdin.CopyToAsync(tar).ConfigureAwait(false);
        var head = new byte[262];
        tar.Position = 0;
        int n = await tar.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false).ConfigureAwait(false);
        bool isArchive = (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) || (n >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8));
        if (isArchive) return dockerfile ?? "Dockerfile";
        // A plain Dockerfile on stdin: the context is just that file.
        tar.Position = 0;
        var text = new byte[tar.Length];
        await tar.ReadExactlyAsync(text).ConfigureAwait(false);
        tar.SetLength(0);
        using (var writer = new System.Formats.Tar.TarWriter(tar, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(text) };
            writer.WriteEntry(entry);
        }
        return "Dockerfile";
    }

    private static string JsonMap(Dictionary<string, string?> map)
    {
        var sb = new StringBuilder("{");
        foreach (var (k, v) in map)
        {
            if (sb.Length > 1) sb.Append(',');
            sb.Append(Quote(k)).Append(':').Append(v == null ? "null" : Quote(v));
        }
        return sb.Append('}').ToString();
    }

    private static string Quote(string s) => "\"" + JsonEncodedText.Encode(s, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";

    /// <summary>
    /// The parse dump of one Dockerfile, or of several (each after a "==> FILE <==" line, as head prints them) so many can be
    /// parsed in one process: bench/build.sh times the corpus that way. A file that fails is reported and the rest go on.
    /// </summary>
    private static int PrintAst(CommandContext ctx, IReadOnlyList<string> files)
    {
        int failed = 0;
        foreach (string file in files)
        {
            try
            {
                string text = file == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file);
                string dump = DockerfileDump.Print(text, file == "-" ? "Dockerfile" : Path.GetFileName(file));
                if (files.Count > 1) ctx.Out.Write($"==> {file} <==\n");
                ctx.Out.Write(dump);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BerthException)
            {
                if (files.Count == 1) throw new CommandFailedException(1, e is BerthException ? "berth: " + e.Message : $"berth: cannot read {file}: {e.Message}");
                ctx.Err.WriteLine(e is BerthException ? $"berth: {file}: {e.Message}" : $"berth: cannot read {file}: {e.Message}");
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
