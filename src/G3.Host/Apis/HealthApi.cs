namespace G3.Host.Apis;

/// <summary>Liveness: the process is up and serving HTTP.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Alive).WithName("healthz");
        return app;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<HealthStatus> Alive() => TypedResults.Ok(new HealthStatus("alive"));

    internal sealed record HealthStatus(string Status);
}
