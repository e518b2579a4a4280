using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>Reads our conventions (<see cref="ChatConventions"/>) out of M.E.AI option bags, whatever numeric type a caller stored.</summary>
internal static class ChatOptionsReader
{
    /// <summary>The choice count asked for; 1 when absent. Values below 1 are a caller bug and rejected clearly.</summary>
    public static int ChoiceCount(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } bag || !bag.TryGetValue(ChatConventions.ChoiceCount, out var raw) || raw is null)
            return 1;
        int? n = raw switch
        {
            int i => i,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var j) => j,
            string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) => k,
            _ => null,
        };
        if (n is not { } count || count < 1)
            throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{ChatConventions.ChoiceCount}\"] must be a positive integer (was '{raw}').", nameof(options));
        return count;
    }

    /// <summary>The image's own detail hint, else the provider default.</summary>
    public static string ImageDetail(AIContent content, string fallback) =>
        content.AdditionalProperties is { } bag && bag.TryGetValue(ChatConventions.ImageDetail, out var v) && v is string s && s.Length > 0 ? s : fallback;
}
