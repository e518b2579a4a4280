using System.Text.RegularExpressions;

namespace G3.Host.Conversations;

/// <summary>
/// Reads a chat message that asks where a described place is: "where could this be: red doors, a
/// desert town…". The lead-in is recognised so a conversation about a photo can still ask about words,
/// and stripped so the text tower reads only the description.
/// </summary>
internal static partial class TextQuestion
{
    /// <summary>Whether the message opens with a where-is-this question followed by a description.</summary>
    public static bool IsTextQuery(string message)
    {
        var m = LeadIn().Match(message);
        return m.Success && message.Length > m.Length;
    }

    /// <summary>The description without its lead-in (the whole message when there is none, or nothing after it).</summary>
    public static string Description(string message)
    {
        var m = LeadIn().Match(message);
        var rest = m.Success ? message[m.Length..].Trim() : "";
        return rest.Length > 0 ? rest : message.Trim();
    }

    // "where could/might/would/can this/it be", "where is this", "where was this (taken)", then ':' '?' ',' or '-'.
    [GeneratedRegex(@"^\s*where\s+(?:(?:could|might|would|can)\s+(?:this|it)\s+be|(?:is|was)\s+(?:this|it)(?:\s+taken)?)\s*[:?,\-–—]+\s*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadIn();
}
