using Microsoft.Extensions.AI;

namespace G3.Diversification.Providers;

/// <summary>
/// Conventions between the generator and provider clients, carried in
/// <see cref="ChatOptions.AdditionalProperties"/> and <see cref="AIContent.AdditionalProperties"/>.
/// </summary>
public static class ChatConventions
{
    /// <summary>
    /// ChatOptions key (int): how many independent choices to return in one call (OpenAI's <c>n</c>). A client that
    /// honours it returns one assistant message per choice in <see cref="ChatResponse.Messages"/>. Prompt execution
    /// settings carry it under the same name, and Semantic Kernel passes unknown settings on in AdditionalProperties.
    /// </summary>
    public const string ChoiceCount = "n";

    /// <summary>
    /// DataContent key (string): the vision detail hint for this image ("low", "high", "auto"); the key
    /// Microsoft.Extensions.AI.OpenAI reads. As a ChatOptions / execution-settings key it is the default for every
    /// image of the request (<c>image_detail</c>).
    /// </summary>
    public const string ImageDetail = "detail";

    /// <summary>ChatOptions / execution-settings key (string): the image detail for images that carry none.</summary>
    public const string DefaultImageDetail = "image_detail";
}
