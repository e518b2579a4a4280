using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Host.Composition;
using G3.Host.Conversations;
using G3.Host.Hosting;

namespace G3.Host.Apis;

/// <summary>
/// POST /v1/chat/completions, compatible with OpenAI's schema: the most recent image in the conversation
/// (an image_url content part holding a data URL) is geolocated; a text-only follow-up is answered from
/// that image's cached result. `model` picks the pipeline ("g3" = default LMM provider, "g3-{provider}"
/// another); an extra "g3" object overrides options. The answer carries the full result in an extra
/// "g3" field. With stream: true, progress chunks (references found, candidates arriving) precede the
/// answer, then [DONE].
/// </summary>
internal static class ChatCompletionsApi
{
    public static IEndpointRouteBuilder MapChatCompletionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", Complete).WithName("chat-completions");
        return app;
    }

    private sealed record ChatTurn(string Model, string? Provider, QueryImage? Image, bool ImageIsNew, string Question, bool Stream, G3OptionsOverrides? Overrides);

    private static async Task<IResult> Complete(HttpContext http, RuntimeState state, ResultCache results, G3.Host.Security.ImageFetcher fetcher, CancellationToken ct)
    {
        if (state.Runtime is not { } runtime)
            return ApiErrors.NotReady(state.Status, state.Error);
        // One deadline for the whole request: past it the answer is 504, not a hung connection.
        // (A streamed answer outlives this method, so it runs on the request's own token instead.)
        var requestAborted = ct;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(runtime.RequestTimeout);
        ct = deadline.Token;
        try
        {
            var (turn, error) = await ParseAsync(http.Request, runtime, fetcher, ct);
            if (error is not null) return error;
            var options = (turn!.Overrides ?? new G3OptionsOverrides()).ApplyTo(runtime.Defaults);
            var pipeline = runtime.PipelineFor(turn.Provider);
            var id = "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

            if (!turn.ImageIsNew && results.TryGet(turn.Image!.Sha256, out var known))
            {
                var reply = await FollowUpResponder.AnswerAsync(turn.Question, known, Lmm(runtime, turn.Provider), runtime.Geocoder, ct);
                return turn.Stream ? new SseResult(id, created, turn.Model, Single(reply, known)) : Completion(id, created, turn.Model, reply, known);
            }

            if (turn.Stream)
                return new SseResult(id, created, turn.Model, StreamAsync(pipeline, runtime, turn, options, results, requestAborted));

            using var activity = G3.Host.Telemetry.G3Telemetry.Start("chat", turn.Provider);
            var result = await pipeline.RunAsync(turn.Image!, options, cancellationToken: ct);
            G3.Host.Telemetry.G3Telemetry.Succeeded(activity, "chat", result);
            var dto = GeolocationDto.From(result, runtime.ModelId, runtime.Geocoder);
            results.Put(dto.ImageSha256, dto);
            var text = turn.ImageIsNew ? AnswerWriter.Answer(dto, runtime.Geocoder)
                : await FollowUpResponder.AnswerAsync(turn.Question, dto, Lmm(runtime, turn.Provider), runtime.Geocoder, ct);
            return Completion(id, created, turn.Model, text, dto);
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            return ApiErrors.From(e);
        }
    }

    private static G3.Diversification.Providers.ILmmProvider Lmm(G3Runtime runtime, string? provider) =>
        provider is null ? runtime.Providers.Default : runtime.Providers.Get(provider);

    private static IResult Completion(string id, long created, string model, string text, GeolocationDto dto)
    {
        var body = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 0, ["completion_tokens"] = 0, ["total_tokens"] = 0 },
            ["g3"] = JsonSerializer.SerializeToNode(dto, ApiJson.Options),
        };
        return TypedResults.Text(body.ToJsonString(), "application/json");
    }

    private static async IAsyncEnumerable<StreamItem> Single(string text, GeolocationDto dto)
    {
        await Task.CompletedTask;
        yield return new StreamItem(null, text, dto);
    }

    /// <summary>Runs the pipeline, yielding progress as it happens, then the answer.</summary>
    private static async IAsyncEnumerable<StreamItem> StreamAsync(G3.Core.Pipeline.G3Pipeline pipeline, G3Runtime runtime, ChatTurn turn,
        G3.Core.Options.G3Options options, ResultCache results, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var events = Channel.CreateUnbounded<JsonObject>();
        var run = Task.Run(async () =>
        {
            try
            {
                return await pipeline.RunAsync(turn.Image!, options, e =>
                {
                    JsonObject? progress = e switch
                    {
                        ReferencesFound r => new JsonObject { ["event"] = "references", ["similar"] = r.Similar.Count, ["dissimilar"] = r.Dissimilar.Count },
                        CandidatesArrived c => new JsonObject { ["event"] = "candidates", ["arrived"] = c.Arrived, ["expected"] = c.Expected },
                        StageCompleted s => new JsonObject { ["event"] = "stage", ["stage"] = s.Stage, ["ms"] = s.Elapsed.TotalMilliseconds },
                        _ => null,
                    };
                    if (progress is not null) events.Writer.TryWrite(progress);
                }, ct);
            }
            finally
            {
                events.Writer.TryComplete();
            }
        }, ct);

        await foreach (var progress in events.Reader.ReadAllAsync(ct))
            yield return new StreamItem(progress, null, null);
        var result = await run;
        var dto = GeolocationDto.From(result, runtime.ModelId, runtime.Geocoder);
        results.Put(dto.ImageSha256, dto);
        var text = turn.ImageIsNew ? AnswerWriter.Answer(dto, runtime.Geocoder) : AnswerWriter.FollowUp(turn.Question, dto, runtime.Geocoder);
        yield return new StreamItem(null, text, dto);
    }

    private static async Task<(ChatTurn?, IResult?)> ParseAsync(HttpRequest request, G3Runtime runtime, G3.Host.Security.ImageFetcher fetcher, CancellationToken ct)
    {
        JsonNode? root;
        try
        {
            root = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return (null, ApiErrors.BadRequest("the request body is not valid JSON: " + e.Message));
        }
        if (root is not JsonObject body)
            return (null, ApiErrors.BadRequest("the request body must be a JSON object"));

        if (body["model"] is not JsonValue modelValue || !modelValue.TryGetValue<string>(out var model) || string.IsNullOrWhiteSpace(model))
            return (null, ApiErrors.BadRequest("'model' is required: \"g3\", or \"g3-{provider}\" (see GET /v1/models)", "model"));
        string? provider = null;
        if (!string.Equals(model, "g3", StringComparison.OrdinalIgnoreCase))
        {
            provider = model.StartsWith("g3-", StringComparison.OrdinalIgnoreCase) ? model[3..] : null;
            if (provider is null || !runtime.Providers.TryGet(provider, out _))
                return (null, ApiErrors.Create(StatusCodes.Status404NotFound, $"the model '{model}' does not exist; GET /v1/models lists them", "invalid_request_error", "model", "model_not_found"));
        }

        if (body["messages"] is not JsonArray messages || messages.Count == 0)
            return (null, ApiErrors.BadRequest("'messages' must be a non-empty array", "messages"));

        var stream = body["stream"] is JsonValue s && s.TryGetValue<bool>(out var flag) && flag;
        G3OptionsOverrides? overrides = null;
        try
        {
            overrides = body["g3"]?.Deserialize<G3OptionsOverrides>(ApiJson.Options);
        }
        catch (JsonException e)
        {
            return (null, ApiErrors.BadRequest("'g3' options are malformed: " + e.Message, "g3"));
        }

        // The latest image anywhere in the conversation; the latest user text is the question.
        string? imageUrl = null;
        var imageIndex = -1;
        var question = "";
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i] is not JsonObject message) return (null, ApiErrors.BadRequest($"messages[{i}] must be an object", "messages"));
            var role = message["role"]?.GetValue<string>();
            if (role is null) return (null, ApiErrors.BadRequest($"messages[{i}] has no 'role'", "messages"));
            var (text, url) = ReadContent(message["content"]);
            if (role == "user" && question.Length == 0 && text.Length > 0 && (imageIndex < 0 || imageIndex == i)) question = text;
            if (imageUrl is null && url is not null && role == "user")
            {
                imageUrl = url;
                imageIndex = i;
            }
        }
        if (imageUrl is null)
            return (null, ApiErrors.Create(StatusCodes.Status422UnprocessableEntity,
                "there is no image in the conversation; send the photo as an image_url content part (a data URL or an http(s) URL)", "invalid_request_error", "messages", "no_image"));
        var (image, problem) = await ImagePayload.ResolveAsync(imageUrl, fetcher, ct);
        if (image is null)
            return (null, ApiErrors.BadRequest(problem!, "messages"));

        var lastUser = Enumerable.Range(0, messages.Count).Last(i => messages[i]?["role"]?.GetValue<string>() == "user");
        return (new ChatTurn(model, provider, image, imageIndex == lastUser, question, stream, overrides), null);
    }

    /// <summary>Content is a string, or an array of parts: {"type":"text","text"} and {"type":"image_url","image_url":{"url"}}.</summary>
    private static (string Text, string? ImageUrl) ReadContent(JsonNode? content)
    {
        if (content is JsonValue v && v.TryGetValue<string>(out var s)) return (s, null);
        if (content is not JsonArray parts) return ("", null);
        var text = new List<string>();
        string? url = null;
        foreach (var part in parts.OfType<JsonObject>())
        {
            var type = part["type"]?.GetValue<string>();
            if (type == "text" && part["text"] is JsonValue t && t.TryGetValue<string>(out var str)) text.Add(str);
            if (type == "image_url") url = part["image_url"] is JsonObject o ? o["url"]?.GetValue<string>() : part["image_url"]?.GetValue<string>();
        }
        return (string.Join("\n", text), url);
    }
}
