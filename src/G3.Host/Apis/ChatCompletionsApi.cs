using G3.Core.Options;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Core.Usage;
using G3.Host.Composition;
using G3.Host.Contracts;
using G3.Host.Conversations;
using G3.Host.Security;
using G3.Host.Telemetry;
using G3.Alignment.Models;
using G3.Geography;
using Microsoft.AspNetCore.Http.HttpResults;
using static G3.Host.Contracts.ApiErrors;

namespace G3.Host.Apis;

/// <summary>
/// POST /v1/chat/completions, compatible with OpenAI's schema: the most recent image in the conversation
/// (an image_url content part holding a data URL) is geolocated; a text-only follow-up is answered from
/// that image's cached result. `model` picks the pipeline ("g3" = default LMM provider, "g3-{provider}"
/// another); an extra "g3" object overrides options. The answer carries the full result in an extra
/// "g3" field. With stream: true, progress chunks (references found, candidates arriving) precede the
/// answer, then [DONE]. "usage" is the sum of what the providers reported for this request's calls (answers replayed
/// from the response cache count zero; a count a provider did not report is null); a stream carries it in a last chunk
/// when stream_options.include_usage asks for it.
/// </summary>
internal static class ChatCompletionsApi
{
    /// <summary>Maps POST {group}/chat/completions; JSON bodies only.</summary>
    public static IEndpointRouteBuilder MapChatCompletionsApi(this IEndpointRouteBuilder v1)
    {
        v1.MapPost("/chat/completions", Complete).WithName("chat-completions");
        return v1;
    }

    private static async Task<Results<Ok<JsonObject>, SseResult, JsonHttpResult<ErrorBody>>> Complete(
        HttpContext http, G3Pipelines pipelines, RequestDefaults defaults, ModelManifest model, TextQueries texts, FollowUpResults results,
        ImageFetcher fetcher, ILogger<ChatTurn> log, CancellationToken ct, ReverseGeocoder? geocoder = null)
    {
        var answers = new Answering(model.Id, geocoder);
        // One deadline for the whole request: past it the answer is 504, not a hung connection.
        // (A streamed answer outlives this method, so it runs on the request's own token instead.)
        var requestAborted = ct;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(defaults.Timeout);
        ct = deadline.Token;
        try
        {
            var turn = await ChatRequest.ReadAsync(http.Request, pipelines.Providers, fetcher, ct);
            if (turn.TextQuery is not null)
                return await AnswerTextAsync(texts, turn, geocoder, ct);
            var options = (turn.Overrides ?? new G3OptionsOverrides()).ApplyTo(defaults.Options);
            var pipeline = pipelines.For(turn.Provider);
            var id = "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

            if (!turn.ImageIsNew && await results.TryGetAsync(turn.Image!.Sha256, ct) is { } known)
            {
                // Only the follow-up's own LMM call (if any) is this request's: the photo was placed by an earlier one.
                var followUp = new LmmCallLog();
                var reply = await FollowUpResponder.AnswerAsync(turn.Question, known.Result, pipelines.Provider(turn.Provider), geocoder, followUp, ct);
                var knownDto = GeolocationDto.From(known.Result, known.ModelId, geocoder);
                var usage = LmmUsage.Of(followUp.Calls).Total;
                if (turn.Stream) return new SseResult(id, created, turn.Model, Single(reply, knownDto, usage), turn.IncludeUsage);
                return Completion(id, created, turn.Model, reply, knownDto, usage);
            }

            if (turn.Stream)
                return new SseResult(id, created, turn.Model, StreamAsync(pipeline, answers, turn, options, results, log, requestAborted), turn.IncludeUsage);

            using var activity = G3Telemetry.Start("chat", turn.Provider);
            var result = await pipeline.RunAsync(turn.Image!, options, cancellationToken: ct);
            G3Telemetry.Succeeded(activity, "chat", result);
            GeolocationDto.LogFailedCandidates(result, log);
            await results.PutAsync(result, answers.ModelId, ct);
            var followUpCalls = new LmmCallLog();
            var text = turn.ImageIsNew ? AnswerWriter.Answer(result, answers.Geocoder)
                : await FollowUpResponder.AnswerAsync(turn.Question, result, pipelines.Provider(turn.Provider), geocoder, followUpCalls, ct);
            var tokens = LmmUsage.Of(result.LmmCalls.Concat(followUpCalls.Calls)).Total;
            return Completion(id, created, turn.Model, text, GeolocationDto.From(result, answers.ModelId, answers.Geocoder), tokens);
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            return ExceptionAnswers.From(e, log);
        }
    }

    /// <summary>A text-only turn asking where a described place is: the text tower's distribution, in the same completion shape.</summary>
    private static async Task<Results<Ok<JsonObject>, SseResult, JsonHttpResult<ErrorBody>>> AnswerTextAsync(TextQueries texts, ChatTurn turn,
        ReverseGeocoder? geocoder, CancellationToken ct)
    {
        var id = "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var result = await texts.LocateAsync(turn.TextQuery, turn.TextQueryParam!, ct);
        var text = TextAnswerWriter.Answer(result, geocoder);
        var dto = texts.Dto(result);
        // The text tower answers without an LMM: nothing was spent.
        if (turn.Stream) return new SseResult(id, created, turn.Model, SingleText(text, dto), turn.IncludeUsage);
        return Completion(id, created, turn.Model, text, dto, TokenUsage.Zero);
    }

    private static async IAsyncEnumerable<StreamItem> SingleText(string text, TextGeolocationDto dto)
    {
        await Task.CompletedTask;
        yield return new StreamItem(null, text, dto, TokenUsage.Zero);
    }

    /// <summary>What turning a result into an answer needs: the model's id and, when present, the geocoder for place names.</summary>
    private sealed record Answering(string ModelId, ReverseGeocoder? Geocoder);

    private static Ok<JsonObject> Completion(string id, long created, string model, string text, object dto, TokenUsage usage)
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
            ["usage"] = UsageDto.OpenAI(usage),
            ["g3"] = JsonSerializer.SerializeToNode(dto, dto.GetType(), ApiJson.Options),
        };
        return TypedResults.Ok(body);
    }

    private static async IAsyncEnumerable<StreamItem> Single(string text, GeolocationDto dto, TokenUsage usage)
    {
        await Task.CompletedTask;
        yield return new StreamItem(null, text, dto, usage);
    }

    /// <summary>Runs the pipeline, yielding progress as it happens, then the answer.</summary>
    private static async IAsyncEnumerable<StreamItem> StreamAsync(G3.Core.Pipeline.G3Pipeline pipeline, Answering answers, ChatTurn turn,
        G3.Core.Options.G3Options options, FollowUpResults results, ILogger log, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
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
            yield return new StreamItem(progress, null, null, null);
        var result = await run;
        GeolocationDto.LogFailedCandidates(result, log);
        await results.PutAsync(result, answers.ModelId, ct);
        var text = turn.ImageIsNew ? AnswerWriter.Answer(result, answers.Geocoder) : AnswerWriter.FollowUp(turn.Question, result, answers.Geocoder);
        yield return new StreamItem(null, text, GeolocationDto.From(result, answers.ModelId, answers.Geocoder), result.Usage.Total);
    }
}
