using Berth.Core;

namespace Berth.Runtime.Monitor;

/// <summary>Docker's detach key syntax ("ctrl-p,ctrl-q", "a,ctrl-[", "DEL") parsed to the byte sequence that detaches an attached client.</summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    /// <summary>Parses <paramref name="spec"/> (null or empty means <see cref="Default"/>).</summary>
    /// <exception cref="BerthException">InvalidArgument naming the unknown key.</exception>
    public static byte[] Parse(string? spec)
    {
        if (string.IsNullOrEmpty(spec))
            spec = Default;
        var codes = new List<byte>();
        foreach (string key in spec.Split(','))
        {
            if (key.Length == 1 && key[0] < 0x80)
            {
                codes.Add((byte)key[0]);
                continue;
            }
            if (key == "DEL")
            {
                codes.Add(127);
                continue;
            }
            if (key.Length == 6 && key.StartsWith("ctrl-", StringComparison.Ordinal))
            {
                char c = key[5];
                if (c >= 'a' && c <= 'z')
                {
                    codes.Add((byte)(c - 'a' + 1));
                    continue;
                }
                int index = "@[\\]^_".IndexOf(c);
                if (index >= 0)
                {
                    codes.Add(index == 0 ? (byte)0 : (byte)(26 + index));
                    continue;
                }
            }
            throw BerthException.Invalid($"invalid detach keys \"{spec}\": unknown key '{key}'");
        }
        return codes.ToArray();
    }
}
