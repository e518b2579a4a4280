using System.Text.RegularExpressions;

namespace G3.Host.Conversations;

/// <summary>
/// Reads a chat message that asks where a described place is: "where could this be: red doors, a
/// desert town…". Only this lead-in makes a text query, so "where was this taken?" stays a follow-up
/// about the conversation's photo; it is stripped so the text tower reads only the description.
/// </summary>
internal static partial class TextQuestion
{
    /// <summary>Whether the message opens with the lead-in (an empty description after it is then the caller's 400).</summary>
    public static bool IsTextQuery(string message) => LeadIn().IsMatch(message);

    /// <summary>The description after the lead-in (empty when nothing follows it).</summary>
    public static string Description(string message)
    {
        var m = LeadIn().Match(message);
        return m.Success ? message[m.Length..].Trim() : "";
    }

    // "where could/might/would/can this/it be", then ':' '?' ',' or a dash.
    [GeneratedRegex(@"^\s*where\s+(?:could|might|would|can)\s+(?:this|it)\s+be\s*[:?,\-–—]+\s*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadIn();
}
