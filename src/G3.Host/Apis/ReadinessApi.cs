using G3.Host.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace G3.Host.Apis;

/// <summary>GET /readyz (models loaded, store open, warm-up done) and GET /v1/models (what can be asked for).</summary>
internal static class ReadinessApi
{
    public static IEndpointRouteBuilder MapReadinessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/readyz", Ready).WithName("readyz");
        return app;
    }

    /// <summary>Maps GET {group}/models.</summary>
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder v1)
    {
        v1.MapGet("/models", Models).WithName("models");
        return v1;
    }

    internal sealed record Readiness(string Status, bool Ready, string? Model, string? Error);

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Readiness> Ready(RuntimeState state) =>
        TypedResults.Json(new Readiness(state.Status, state.IsReady, state.Runtime?.ModelId, state.Error), ApiJson.Options,
            statusCode: state.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);

    internal sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

    internal sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);

    /// <summary>One entry per configured LMM provider: "g3" is the default pipeline, "g3-{provider}" the others.</summary>
    private static Results<Ok<ModelList>, JsonHttpResult<ApiErrors.ErrorBody>> Models(RuntimeState state)
    {
        if (state.Runtime is not { } runtime) return ApiErrors.NotReady(state.Status, state.Error);
        var models = new List<ModelEntry> { new("g3", "model", 0, "g3") };
        models.AddRange(runtime.Providers.Names.Order(StringComparer.OrdinalIgnoreCase).Select(n => new ModelEntry("g3-" + n, "model", 0, "g3")));
        return TypedResults.Ok(new ModelList("list", models));
    }
}
