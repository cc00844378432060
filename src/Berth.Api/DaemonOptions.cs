using Berth.Core;

namespace Berth.Api;

/// <summary>Command-line options of <c>berth daemon</c>.</summary>
public sealed class DaemonOptions
{
    public const string Usage = """
        Usage:  berth daemon [OPTIONS]

        Runs the Berth daemon, serving the Docker Engine API.

        Options:
          --bip string            The default bridge's address and prefix (default "10.203.0.1/16")
          -b, --bridge string     The default bridge's interface name (default "berth0")
          --cgroup-parent string  Parent cgroup of the containers (default "berth")
          --default-address-pool string
                                  Where user networks' subnets come from (default "base=10.204.0.0/14,size=24")
          --dns string            Upstream DNS server for containers (repeatable; default: the host's)
          --firewall-table string nftables table of this daemon, in family inet (default "berth")
          --data-root string      Root of persistent state (default "/var/lib/berth", env BERTH_ROOT)
          --exec-root string      Root of runtime state (default "/run/berth", env BERTH_RUN)
          -H, --host string       Socket to listen on (default "unix://<exec-root>/berth.sock")
          --registry-certs-dir string
                                  CA certificates per registry: DIR/<host:port>/ca.crt (default "/etc/berth/certs.d")
          --insecure-registry string
                                  Registry (host[:port] or CIDR range) reached with TLS unverified, else plain HTTP
                                  (repeatable; loopback ones always are)
          -D, --debug             Verbose log
        """;

    public string Root { get; private set; } = BerthPaths.Default.Root;
    public string RunDir { get; private set; } = BerthPaths.Default.RunDir;
    public string? Socket { get; private set; }
    public string CgroupParent { get; private set; } = "berth";
    public bool Debug { get; private set; }
    public Engine.Networks.NetworkConfig Network { get; private set; } = new();
    public List<string> InsecureRegistries { get; } = new();
    public string RegistryCertsDir { get; private set; } = "/etc/berth/certs.d";
    public bool Help { get; private set; }

    public static DaemonOptions Parse(string[] args)
    {
        var o = new DaemonOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? inline = null;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) { inline = a[(eq + 1)..]; a = a[..eq]; }
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw BerthException.Invalid($"flag needs an argument: {a}"));
            switch (a)
            {
                case "--data-root" or "--root": o.Root = Path.GetFullPath(Value()); break;
                case "--exec-root" or "--run-dir": o.RunDir = Path.GetFullPath(Value()); break;
                case "-H" or "--host":
                    string h = Value();
                    if (!h.StartsWith("unix://", StringComparison.Ordinal)) throw BerthException.Invalid($"unsupported host \"{h}\": only unix:// sockets are served");
                    o.Socket = h["unix://".Length..];
                    break;
                case "--cgroup-parent": o.CgroupParent = Value(); break;
                case "--bip": o.Network = o.Network with { DefaultBridgeCidr = Value() }; break;
                case "-b" or "--bridge": o.Network = o.Network with { DefaultBridge = Value() }; break;
                case "--firewall-table": o.Network = o.Network with { FirewallTable = Value() }; break;
                case "--dns": o.Network = o.Network with { Dns = [.. o.Network.Dns ?? [], Value()] }; break;
                case "--default-address-pool":
                    var pool = Value().Split(',').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
                    if (!pool.TryGetValue("base", out var poolBase) || !pool.TryGetValue("size", out var size) || !int.TryParse(size, out var prefix) || prefix is < 8 or > 30)
                        throw BerthException.Invalid($"invalid --default-address-pool \"{string.Join(',', pool.Select(p => p.Key + "=" + p.Value))}\": expected base=CIDR,size=PREFIX");
                    o.Network = o.Network with { AddressPool = poolBase, PoolPrefixLength = prefix };
                    break;
                case "-D" or "--debug": o.Debug = true; break;
                case "--insecure-registry":
                    string entry = Value();
                    _ = new Distribution.InsecureRegistries([entry]); // a bad entry stops the daemon here, named
                    o.InsecureRegistries.Add(Distribution.InsecureRegistries.Normalize(entry));
                    break;
                case "--registry-certs-dir": o.RegistryCertsDir = Path.GetFullPath(Value()); break;
                case "-h" or "--help": o.Help = true; break;
                default: throw BerthException.Invalid($"unknown flag: {a}\nSee 'berth daemon --help'.");
            }
        }
        return o;
    }
}
