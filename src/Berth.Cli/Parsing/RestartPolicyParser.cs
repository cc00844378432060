using System.Globalization;
using Berth.Core.EngineApi;

namespace Berth.Cli.Parsing;

/// <summary>Parses --restart: no, always, unless-stopped, on-failure[:max-retries].</summary>
public static class RestartPolicyParser
{
    public static RestartPolicy Parse(string text)
    {
        if (text.Length == 0) return new RestartPolicy();
        int colon = text.IndexOf(':');
        string name = colon < 0 ? text : text[..colon];
        if (colon == 0) throw new UsageException("invalid restart policy format: no policy provided before colon");
        int count = 0;
        if (colon >= 0 && !int.TryParse(text[(colon + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count))
            throw new UsageException($"invalid restart policy format: maximum retry count must be an integer: '{text}'");
        switch (name)
        {
            case "no" or "always" or "unless-stopped":
                if (colon >= 0) throw new UsageException($"invalid restart policy '{text}': maximum retry count can only be used with 'on-failure'");
                break;
            case "on-failure":
                if (count < 0) throw new UsageException($"invalid restart policy '{text}': maximum retry count cannot be negative");
                break;
            default:
                throw new UsageException($"invalid restart policy '{text}': unknown policy '{name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        return new RestartPolicy { Name = name, MaximumRetryCount = count };
    }
}
