using G3.Core.Options;
using System.Text.Json;
using G3.Core.Ports;
using G3.Diversification.Providers;
using G3.Host.Contracts;
using G3.Host.Conversations;

namespace G3.Host.Apis;

/// <summary>
/// One chat request, read: which pipeline, the photos to place (every image of the latest user message that has any:
/// new, or earlier in the conversation), the question.
/// </summary>
internal sealed record ChatTurn(string Model, string? Provider, PlaceQuery? Image, bool ImageIsNew, string Question, bool Stream, G3OptionsOverrides? Overrides)
{
    /// <summary>A text query (the description to geolocate) when the turn asks about words, not a photo; Image is then null.</summary>
    public string? TextQuery { get; init; }

    /// <summary>Where the text query came from, for errors ("messages[2].content").</summary>
    public string? TextQueryParam { get; init; }

    /// <summary>A streamed answer ends with a chunk holding the request's usage (OpenAI's <c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; init; }
}

/// <summary>
/// Reads a chat completions body as OpenAI's schema defines it, checking every field it uses: wrong
/// types, out-of-range values and malformed messages are a 400 naming the field ("messages[0].content[1].type").
/// Fields of OpenAI's schema that the service does not use (max_tokens, user, ...) are accepted and ignored.
/// </summary>
internal static class ChatRequest
{
    public static async Task<ChatTurn> ReadAsync(HttpRequest request, LmmProviderRegistry providers, G3.Host.Security.ImageFetcher fetcher, CancellationToken ct)
    {
        // application/json only: a text/plain or form post is what a foreign web page can send without asking.
        if (!request.HasJsonContentType())
            throw new ApiRequestException("send the request as application/json", "Content-Type", StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
        using var document = await JsonFields.ParseObjectAsync(request.Body, ct);
        var body = document.RootElement;

        var model = JsonFields.OptionalString(body, "model", "model");
        if (string.IsNullOrWhiteSpace(model))
            throw new ApiRequestException("'model' is required: \"g3\", or \"g3-{provider}\" (see GET /v1/models)", "model");
        string? provider = null;
        if (!string.Equals(model, "g3", StringComparison.OrdinalIgnoreCase))
        {
            provider = model.StartsWith("g3-", StringComparison.OrdinalIgnoreCase) ? model[3..] : null;
            if (provider is null || !providers.TryGet(provider, out _))
                throw new ApiRequestException($"the model '{model}' does not exist; GET /v1/models lists them", "model", StatusCodes.Status404NotFound, "model_not_found");
        }

        var stream = JsonFields.OptionalBool(body, "stream", "stream") ?? false;
        var includeUsage = ReadStreamOptions(body, stream);
        // One answer per request: OpenAI's n is accepted only as 1.
        if (JsonFields.OptionalInteger(body, "n", "n", 1, 128) is > 1)
            throw new ApiRequestException("'n' must be 1: the service returns one answer per request", "n");
        var temperature = JsonFields.OptionalNumber(body, "temperature", "temperature", 0, 2);
        var overrides = JsonFields.Optional(body, "g3") is { } g3 ? G3OptionsJson.Read(g3, "g3") : null;
        // OpenAI's temperature sets the LMM's sampling temperature unless the g3 options set it themselves.
        if (temperature is { } t && overrides?.Temperature is null)
            overrides = (overrides ?? new G3OptionsOverrides()) with { Temperature = t };

        if (JsonFields.Optional(body, "messages") is not { ValueKind: JsonValueKind.Array } messages || messages.GetArrayLength() == 0)
            throw new ApiRequestException("'messages' must be a non-empty array", "messages");

        // Every image of the latest user message that has any (photos of one place); the latest user text is the question.
        var turns = messages.EnumerateArray().Select((m, i) => ReadMessage(m, i)).ToList();
        IReadOnlyList<string>? imageUrls = null;
        var imageIndex = -1;
        var question = "";
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            var (role, text, urls) = turns[i];
            if (role == "user" && question.Length == 0 && text.Length > 0 && (imageIndex < 0 || imageIndex == i)) question = text;
            if (imageUrls is null && urls.Count > 0 && role == "user")
            {
                imageUrls = urls;
                imageIndex = i;
            }
        }
        // A text query: the latest user message has no image and asks "where could this be: …" about a
        // description (other text-only messages stay follow-ups about the conversation's photo).
        var lastUserTurn = turns.FindLastIndex(t => t.Role == "user");
        if (lastUserTurn >= 0 && turns[lastUserTurn].ImageUrls.Count == 0 && TextQuestion.IsTextQuery(turns[lastUserTurn].Text))
            return new ChatTurn(model, provider, null, false, turns[lastUserTurn].Text, stream, overrides)
            {
                IncludeUsage = includeUsage,
                TextQuery = TextQuestion.Description(turns[lastUserTurn].Text),
                TextQueryParam = $"messages[{lastUserTurn}].content",
            };
        if (imageUrls is null)
            throw new ApiRequestException("there is no image in the conversation; send the photo as an image_url content part (a data URL or an http(s) URL)",
                "messages", StatusCodes.Status422UnprocessableEntity, "no_image");
        var imageParam = $"messages[{imageIndex}].content";
        if (imageUrls.Count > PlaceQuery.MaxImages)
            throw new ApiRequestException($"the message holds {imageUrls.Count} images; at most {PlaceQuery.MaxImages} photos of one place are accepted", imageParam,
                code: "too_many_images");
        var images = new List<QueryImage>(imageUrls.Count);
        foreach (var url in imageUrls)
        {
            var (image, problem) = await ImagePayload.ResolveAsync(url, fetcher, ct);
            images.Add(image ?? throw new ApiRequestException(problem!, imageParam));
        }

        var lastUser = turns.FindLastIndex(t => t.Role == "user");
        return new ChatTurn(model, provider, new PlaceQuery(images), imageIndex == lastUser, question, stream, overrides) { IncludeUsage = includeUsage };
    }

    private static readonly string[] s_streamOptions = ["include_usage", "include_obfuscation"];

    /// <summary>
    /// OpenAI's stream_options: include_usage asks for a last chunk with the usage; include_obfuscation is accepted and
    /// ignored (no obfuscation field is sent). Like OpenAI, the options are refused on a request that does not stream.
    /// </summary>
    private static bool ReadStreamOptions(JsonElement body, bool stream)
    {
        if (JsonFields.Optional(body, "stream_options") is not { } options)
            return false;
        if (options.ValueKind != JsonValueKind.Object)
            throw new ApiRequestException($"'stream_options' must be an object, not {JsonFields.Kind(options)}", "stream_options");
        if (!stream)
            throw new ApiRequestException("'stream_options' is only allowed when 'stream' is true", "stream_options");
        JsonFields.RefuseUnknownKeys(options, s_streamOptions, "stream_options");
        JsonFields.OptionalBool(options, "include_obfuscation", "stream_options.include_obfuscation");
        return JsonFields.OptionalBool(options, "include_usage", "stream_options.include_usage") ?? false;
    }

    private static (string Role, string Text, IReadOnlyList<string> ImageUrls) ReadMessage(JsonElement message, int i)
    {
        var path = $"messages[{i}]";
        if (message.ValueKind != JsonValueKind.Object)
            throw new ApiRequestException($"'{path}' must be an object, not {JsonFields.Kind(message)}", path);
        var role = JsonFields.OptionalString(message, "role", path + ".role")
            ?? throw new ApiRequestException($"'{path}.role' is required", path + ".role");
        var (text, urls) = ReadContent(JsonFields.Optional(message, "content"), path + ".content");
        return (role, text, urls);
    }

    /// <summary>Content is a string, or an array of parts: {"type":"text","text"} and {"type":"image_url","image_url":{"url"}}.</summary>
    private static (string Text, IReadOnlyList<string> ImageUrls) ReadContent(JsonElement? content, string path)
    {
        if (content is null) return ("", []);
        if (content.Value.ValueKind == JsonValueKind.String) return (JsonFields.String(content.Value, path), []);
        if (content.Value.ValueKind != JsonValueKind.Array)
            throw new ApiRequestException($"'{path}' must be a string or an array of content parts, not {JsonFields.Kind(content.Value)}", path);
        var text = new List<string>();
        var urls = new List<string>();
        var index = 0;
        foreach (var part in content.Value.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object)
                throw new ApiRequestException($"'{partPath}' must be an object, not {JsonFields.Kind(part)}", partPath);
            var type = JsonFields.OptionalString(part, "type", partPath + ".type")
                ?? throw new ApiRequestException($"'{partPath}.type' is required", partPath + ".type");
            switch (type)
            {
                case "text":
                    text.Add(JsonFields.OptionalString(part, "text", partPath + ".text")
                        ?? throw new ApiRequestException($"'{partPath}.text' is required", partPath + ".text"));
                    break;
                case "image_url":
                    var image = JsonFields.Optional(part, "image_url")
                        ?? throw new ApiRequestException($"'{partPath}.image_url' is required", partPath + ".image_url");
                    urls.Add(image.ValueKind == JsonValueKind.Object
                        ? JsonFields.OptionalString(image, "url", partPath + ".image_url.url") ?? throw new ApiRequestException($"'{partPath}.image_url.url' is required", partPath + ".image_url.url")
                        : JsonFields.String(image, partPath + ".image_url"));
                    break;
                // Other part types of OpenAI's schema (audio, files) carry nothing the service uses.
            }
        }
        return (string.Join("\n", text), urls);
    }
}
