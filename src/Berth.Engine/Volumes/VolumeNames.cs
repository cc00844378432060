using System.Security.Cryptography;
using Berth.Core;

namespace Berth.Engine.Volumes;

/// <summary>Volume names as the local driver accepts them: [a-zA-Z0-9][a-zA-Z0-9_.-]+, so a name is never a path.</summary>
public static class VolumeNames
{
    public static bool IsValid(string name) =>
        name.Length >= 2 && name.Length <= 255 && char.IsAsciiLetterOrDigit(name[0]) &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>Throws a 400 naming the value unless it is a valid volume name.</summary>
    public static void Validate(string name)
    {
        if (!IsValid(name))
            throw BerthException.Invalid($"create {Printable(name)}: \"{Printable(name)}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    /// <summary>A fresh anonymous volume name: 64 hex digits, as Docker's.</summary>
    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The value with control characters shown as escapes, so an error message cannot carry them to a terminal.</summary>
    public static string Printable(string s) =>
        s.Any(char.IsControl) ? string.Concat(s.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString())) : s;
}
