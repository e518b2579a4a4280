using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace G3.Diversification.Providers;

/// <summary>
/// Keeps OpenAI's <c>n</c> (several samples in one request, so the image is billed once per prompt) on top of
/// Microsoft.Extensions.AI.OpenAI's chat client, which maps everything else. Neither Semantic Kernel's OpenAI connector
/// nor the M.E.AI adapter can send <c>n</c> or return more than the first choice, so this client (1) writes <c>n</c>
/// through the SDK's own request object (<see cref="ChatOptions.RawRepresentationFactory"/>) and (2) reads every choice
/// back from the SDK's completion. For OpenAI-compatible servers that want the legacy <c>max_tokens</c> field, it
/// writes that field instead of <c>max_completion_tokens</c>.
/// </summary>
internal sealed class OpenAIChoicesChatClient(IChatClient inner, bool supportsN, bool legacyMaxTokens) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var requested = LmmCallSettings.Of(options).Choices;
        var n = supportsN ? Math.Min(requested, LmmProviderOptions.MaxChoicesPerCall) : 1;
        var response = await base.GetResponseAsync(messages, Shape(options, n), cancellationToken);
        if (response.RawRepresentation is ChatCompletion completion && n > 1)
            response.Messages = OpenAIResponseReader.Choices(ModelReaderWriter.Write(completion, ModelReaderWriterOptions.Json));
        (response.AdditionalProperties ??= [])[LmmResponseProperties.RequestedChoices] = requested;
        return response;
    }

    private ChatOptions? Shape(ChatOptions? options, int n)
    {
        var maxTokens = legacyMaxTokens ? options?.MaxOutputTokens : null;
        if (n <= 1 && maxTokens is null)
            return options;
        var copy = options!.Clone();
        if (maxTokens is not null)
            copy.MaxOutputTokens = null; // written as max_tokens below, not as max_completion_tokens
        var outer = copy.RawRepresentationFactory;
        copy.RawRepresentationFactory = client =>
        {
            var request = outer?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
            if (n > 1)
                OpenAIRequestFields.SetChoiceCount(request, n);
            if (maxTokens is { } m)
                OpenAIRequestFields.SetLegacyMaxTokens(request, m);
            return request;
        };
        return copy;
    }
}
