using Berth.Core;

namespace Berth.Network.Netlink;

/// <summary>Checks interface names the way the kernel's dev_valid_name does, so the error names the bad value.</summary>
internal static class LinkName
{
    public const int MaxLength = 15;

    public static void Validate(string name)
    {
        if (name.Length == 0 || name.Length > MaxLength || name is "." or ".." ||
            name.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c) || c > 0x7e))
            throw BerthException.Invalid($"invalid interface name \"{name}\": 1-{MaxLength} characters, no '/', ':' or spaces");
    }
}
