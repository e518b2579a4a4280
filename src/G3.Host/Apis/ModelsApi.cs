using G3.Host.Composition;
using Microsoft.AspNetCore.Http.HttpResults;

namespace G3.Host.Apis;

/// <summary>GET /v1/models: what can be asked for.</summary>
internal static class ModelsApi
{
    /// <summary>Maps GET {group}/models.</summary>
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder v1)
    {
        v1.MapGet("/models", Models).WithName("models");
        return v1;
    }

    internal sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

    internal sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);

    /// <summary>One entry per configured LMM provider: "g3" is the default pipeline, "g3-{provider}" the others.</summary>
    private static Ok<ModelList> Models(G3Pipelines pipelines)
    {
        var models = new List<ModelEntry> { new("g3", "model", 0, "g3") };
        models.AddRange(pipelines.Providers.Names.Order(StringComparer.OrdinalIgnoreCase).Select(n => new ModelEntry("g3-" + n, "model", 0, "g3")));
        return TypedResults.Ok(new ModelList("list", models));
    }
}
