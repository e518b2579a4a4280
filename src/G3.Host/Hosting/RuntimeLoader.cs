using G3.Core.Geo;
using G3.Host.Composition;

namespace G3.Host.Hosting;

/// <summary>
/// Loads the models and the store in the background (building the embedded default on first start),
/// runs a warm-up through every stage, then marks the service ready. /healthz answers all along;
/// /readyz only once this is done. The first start's world is the executable's <see cref="IFirstStartWorld"/>, if it registered one.
/// </summary>
internal sealed class RuntimeLoader(IConfiguration configuration, RuntimeState state, ILoggerFactory loggerFactory, IFirstStartWorld? world = null) : BackgroundService
{
    private readonly ILogger _log = loggerFactory.CreateLogger<RuntimeLoader>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await FirstStart.EnsureStoreAsync(configuration, world, state, _log, stoppingToken);
            state.Report("loading models and store");
            var runtime = await Task.Run(() => RuntimeFactory.Create(configuration, loggerFactory), stoppingToken);
            state.Report("warming up");
            await WarmUpAsync(runtime, stoppingToken);
            state.Ready(runtime);
            _log.LogInformation("Ready: model {ModelId}, {Count} reference photos, LMM {Provider}",
                runtime.ModelId, await runtime.Store.CountAsync(stoppingToken), runtime.Providers.Default.Info.Name);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is G3.Core.Errors.G3Exception or G3.Core.Options.G3OptionsException or IOException)
        {
            // An expected refusal (a missing model or store, invalid options): its message says it all, no stack trace.
            // The process stays up (liveness) and /readyz explains what is wrong.
            state.Fail(e.Message);
            _log.LogError("The service could not start: {Reason}", e.Message);
        }
        catch (Exception e)
        {
            state.Fail(e.Message);
            _log.LogError(e, "The service could not start: {Reason}", e.Message);
        }
    }

    /// <summary>One pass through the model runs and a store search, so the first request pays no lazy costs.</summary>
    private static async Task WarmUpAsync(G3Runtime runtime, CancellationToken ct)
    {
        var pixels = new float[runtime.ImageEncoder.TensorLength];
        var embedding = (await runtime.ImageEncoder.EncodeTensorAsync(pixels, 1, ct))[0];
        await runtime.LocationEncoder.EncodeAsync([new GeoPoint(0, 0)], ct);
        await runtime.Store.SearchAsync(embedding.Retrieval, 1, ct);
    }
}
