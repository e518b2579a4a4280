using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>
/// Conventions of Microsoft.Extensions.AI.OpenAI that G3 relies on, carried in <see cref="AIContent.AdditionalProperties"/>.
/// G3's own per-call settings are typed: see <see cref="LmmCallSettings"/>.
/// </summary>
public static class ChatConventions
{
    /// <summary>
    /// DataContent key (string): the vision detail hint for this image ("low", "high", "auto"); the key
    /// Microsoft.Extensions.AI.OpenAI reads and maps onto OpenAI's <c>image_url.detail</c>.
    /// </summary>
    public const string ImageDetail = "detail";
}
