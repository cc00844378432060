using Berth.Core;

namespace Berth.Distribution;

/// <summary><c>berth registry serve|garbage-collect …</c>: runs the registry server in the foreground.</summary>
public static class RegistryCommand
{
    private const string Usage =
        "usage: berth registry serve --root DIR [--addr HOST:PORT] [--htpasswd FILE] [--tls-cert FILE --tls-key FILE]\n" +
        "         [--token-auth [--token-key FILE] [--token-anonymous-pull]] [--token-realm URL] [--token-service NAME]\n" +
        "         [--token-issuer NAME] [--token-cert-bundle FILE]\n" +
        "       berth registry garbage-collect --root DIR";

    /// <summary>Runs with the arguments after <c>registry</c>; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            var options = ParseOptions(args[1..], out bool help);
            if (help)
            {
                Console.WriteLine(Usage);
                return 0;
            }
            switch (args[0])
            {
                case "serve":
                    return Serve(options);
                case "garbage-collect" or "gc":
                    var result = RegistryGc.Run(options.Root);
                    Console.WriteLine($"kept {result.BlobsKept} blobs, removed {result.BlobsRemoved} ({result.BytesFreed} bytes) and {result.UploadsRemoved} stale uploads");
                    return 0;
                default:
                    Console.Error.WriteLine($"berth registry: unknown command \"{args[0]}\"\n{Usage}");
                    return 2;
            }
        }
        catch (BerthException e)
        {
            Console.Error.WriteLine("berth registry: " + e.Message);
            return 1;
        }
    }

    private static int Serve(RegistryServerOptions options)
    {
        using var stop = new CancellationTokenSource();
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var server = new RegistryServer(options);
        server.StartAsync().GetAwaiter().GetResult();
        Console.WriteLine($"registry listening on {server.BaseAddress}");
        if (options.TokenAuth && options.TokenKeyFile == null)
            Console.WriteLine("token signing key is ephemeral: tokens, and the refresh tokens of logins, end with this process (--token-key FILE keeps them)");
        server.WaitAsync(stop.Token).GetAwaiter().GetResult();
        return 0;
    }

    internal static RegistryServerOptions ParseOptions(string[] args, out bool help)
    {
        var o = new RegistryServerOptions();
        help = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? inline = null;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = a[(eq + 1)..];
                a = a[..eq];
            }
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw BerthException.Invalid($"flag {a} needs a value"));
            bool Bool() => inline switch
            {
                null or "true" => true,
                "false" => false,
                _ => throw BerthException.Invalid($"flag {a} takes true or false, not \"{inline}\""),
            };
            switch (a)
            {
                case "--addr": o.Address = Value(); break;
                case "--root": o.Root = Value(); break;
                case "--htpasswd": o.HtpasswdFile = Value(); break;
                case "--tls-cert": o.TlsCertFile = Value(); break;
                case "--tls-key": o.TlsKeyFile = Value(); break;
                case "--token-auth": o.TokenAuth = Bool(); break;
                case "--token-anonymous-pull": o.TokenAnonymousPull = Bool(); break;
                case "--token-realm": o.TokenRealm = Value(); break;
                case "--token-service": o.TokenService = Value(); break;
                case "--token-issuer": o.TokenIssuer = Value(); break;
                case "--token-cert-bundle": o.TokenCertBundle = Value(); break;
                case "--token-key": o.TokenKeyFile = Value(); break;
                case "-h" or "--help": help = true; break;
                default: throw BerthException.Invalid($"unknown flag \"{args[i]}\"");
            }
        }
        if (!help && string.IsNullOrEmpty(o.Root)) throw BerthException.Invalid("--root DIR is required");
        return o;
    }
}
