using System.Text;
using System.Text.Json;
using Berth.Build.Shell;

namespace Berth.Build.Parser;

/// <summary>Recognises the JSON (exec) form: a complete, valid JSON array; anything else falls back to shell form.</summary>
internal static class JsonArrayForm
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 10000 };

    /// <summary>Values when <paramref name="rest"/> is a JSON array of strings; NotStrings when it is valid JSON holding other values.</summary>
    public static (List<string>? Values, bool NotStrings) TryParse(string rest)
    {
        rest = GoText.TrimLeftSpace(rest);
        if (!rest.StartsWith('[')) return (null, false);
        var values = new List<string>();
        bool notStrings = false;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(rest), Options);
            reader.Read(); // StartArray
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0) break; // EndArray of the top level
                switch (reader.TokenType)
                {
                    case JsonTokenType.String when reader.CurrentDepth == 1:
                        values.Add(reader.GetString()!);
                        break;
                    case JsonTokenType.StartArray or JsonTokenType.StartObject when reader.CurrentDepth == 1:
                        notStrings = true;
                        reader.Skip();
                        break;
                    default:
                        if (reader.CurrentDepth == 1) notStrings = true;
                        break;
                }
            }
            // Anything but white space after the array makes it invalid JSON.
            while (reader.Read()) { }
        }
        catch (JsonException)
        {
            return (null, false);
        }
        catch (InvalidOperationException)
        {
            return (null, false);
        }
        return notStrings ? (null, true) : (values, false);
    }
}
