using System.Text;
using Berth.Cli.Registry;
using Berth.Cli.Terminal;
using Berth.Client;
using Berth.Core;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker push, login and logout; credentials live in docker's config.json and reach the daemon as X-Registry-Auth.</summary>
internal static class RegistryCommands
{
    /// <summary>The X-Registry-Auth value for the registry of <paramref name="image"/>, or null when no credentials are stored.</summary>
    public static string? RegistryAuthFor(string image)
    {
        if (!ImageReference.TryParse(image, defaultTag: false, out var reference, out _) || reference == null) return null;
        var auth = DockerConfigFile.Load().Get(reference.Registry);
        return auth == null ? null : EngineClient.EncodeRegistryAuth(auth);
    }

    public static async Task<int> PushAsync(CommandContext ctx)
    {
        string name = ctx.Args[0];
        if (!ImageReference.TryParse(name, defaultTag: false, out var reference, out string error) || reference == null)
            throw new CommandFailedException(1, $"invalid reference format: {error}");
        bool all = ctx.Flags.Bool("all-tags");
        if (all && reference.Tag != null) throw new CommandFailedException(1, "tag can't be used with --all-tags/-a");
        if (reference.Digest != null) throw new CommandFailedException(1, $"cannot push a digest reference: {name}");
        string repository = reference.FamiliarRepository;
        string? tag = all ? null : reference.Tag ?? ImageReference.DefaultTag;
        bool quiet = ctx.Flags.Bool("quiet");
        using var response = await ctx.Client.PushImageAsync(repository, tag, RegistryAuthFor(name)).ConfigureAwait(false);
        try
        {
            await ProgressPrinter.PrintAsync(response.Body, quiet ? TextWriter.Null : ctx.Out, RawTerminal.IsTerminal(1)).ConfigureAwait(false);
        }
        catch (ProgressException e)
        {
            throw new CommandFailedException(1, e.Message);
        }
        if (quiet) ctx.Out.WriteLine(reference.Repository + (tag != null ? ":" + tag : ""));
        return 0;
    }

    public static async Task<int> LoginAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        string registry = RegistryAddress.Normalize(ctx.Args.Count > 0 ? ctx.Args[0] : null);
        string? user = f.String("username"), password = f.String("password");
        bool passwordStdin = f.Bool("password-stdin");
        if (password != null && passwordStdin) throw new CommandFailedException(1, "--password and --password-stdin are mutually exclusive");
        if (passwordStdin)
        {
            if (string.IsNullOrEmpty(user)) throw new CommandFailedException(1, "Must provide --username with --password-stdin");
            using var stdin = new StreamReader(StreamSession.Stdin(), Encoding.UTF8);
            password = (await stdin.ReadToEndAsync().ConfigureAwait(false)).TrimEnd('\n', '\r');
        }
        else if (password != null)
        {
            ctx.Err.WriteLine("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
        {
            if (!RawTerminal.IsTerminal(0)) throw new CommandFailedException(1, "Error: Cannot perform an interactive login from a non TTY device");
            if (string.IsNullOrEmpty(user))
            {
                ctx.Out.Write("Username: ");
                ctx.Out.Flush();
                user = ReadLine(echo: true);
            }
            ctx.Out.Write("Password: ");
            ctx.Out.Flush();
            password = ReadLine(echo: false);
            ctx.Out.WriteLine();
            if (string.IsNullOrEmpty(user)) throw new CommandFailedException(1, "Error: Non-null Username Required");
            if (string.IsNullOrEmpty(password)) throw new CommandFailedException(1, "Error: Password Required");
        }
        string key = RegistryAddress.ConfigKey(registry);
        var answer = await ctx.Client.AuthAsync(new AuthConfig { Username = user, Password = password, ServerAddress = key }).ConfigureAwait(false);
        var config = DockerConfigFile.Load();
        config.Store(registry, user!, password!, answer.IdentityToken);
        ctx.Out.WriteLine();
        ctx.Out.WriteLine(answer.Status is { Length: > 0 } s ? s : "Login Succeeded");
        return 0;
    }

    public static Task<int> LogoutAsync(CommandContext ctx)
    {
        string registry = RegistryAddress.Normalize(ctx.Args.Count > 0 ? ctx.Args[0] : null);
        string key = RegistryAddress.ConfigKey(registry);
        if (!DockerConfigFile.Load().Erase(registry))
            ctx.Out.WriteLine($"Not logged in to {key}");
        else
            ctx.Out.WriteLine($"Removing login credentials for {key}");
        return Task.FromResult(0);
    }

    /// <summary>Reads one line from the terminal on fd 0; without echo it reads in raw mode so the password is not shown.</summary>
    private static string ReadLine(bool echo)
    {
        using var raw = echo ? null : RawTerminal.Enable(0);
        using var stdin = StreamSession.Stdin();
        var bytes = new List<byte>();
        var one = new byte[1];
        while (stdin.Read(one, 0, 1) == 1)
        {
            if (one[0] is (byte)'\n' or (byte)'\r') break;
            if (one[0] == 3) throw new CommandFailedException(130, "");
            if (one[0] is 127 or 8) { if (bytes.Count > 0) bytes.RemoveAt(bytes.Count - 1); continue; }
            bytes.Add(one[0]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
