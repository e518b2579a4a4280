using G3.Alignment.Encoders;
using G3.Alignment.Models;
using G3.Alignment.Onnx;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Host.Composition;
using G3.Retrieval;

namespace G3.Host.Hosting;

/// <summary>
/// Brings the service up in the background: builds the embedded default on first start (from the executable's
/// <see cref="IFirstStartWorld"/>, if it registered one), resolves every port (loading the models and opening the
/// store), checks the servers the configuration requires (<see cref="ServerProbes"/>), runs a warm-up through every
/// stage, then marks the service ready and keeps watching those servers. A server that cannot be reached is waited for
/// with back-off for as long as it takes (<see cref="ServerWaits"/>; ports whose factory threw are built again, since
/// DI caches no failed singleton); only what waiting cannot cure fails the start for good. /healthz answers all along;
/// /readyz and the API only once this is done.
/// </summary>
internal sealed class G3Startup(IServiceProvider services, StartupStatus status, ILogger<G3Startup> log, IFirstStartWorld? world = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await FirstStart.EnsureStoreAsync(G3Settings.Value<FirstStartSettings>(services), G3Settings.Value<StoreSettings>(services),
                G3Settings.Value<ModelSettings>(services), world, status.Report, log, stoppingToken);
            var dependencies = G3Settings.Value<DependencySettings>(services);
            var waits = new ServerWaits(dependencies, status, log, TimeProvider.System);
            G3Pipelines pipelines = null!;
            long count = 0;
            IReadOnlyList<IServerProbe> probes = [];
            await waits.RunAsync(async ct =>
            {
                status.Report("loading models and store");
                pipelines = await Task.Run(() => Load(services), ct);
                probes = ServerProbes.For(services, dependencies);
                foreach (var probe in probes)
                {
                    status.Report("checking " + probe.Server);
                    await probe.ProbeAsync(ct);
                }
                status.Report("warming up");
                await WarmUpAsync(ct);
                count = await services.GetRequiredService<IReferenceStore>().CountAsync(ct);
            }, stoppingToken);
            var manifest = services.GetRequiredService<ModelManifest>();
            status.Ready(manifest.Id);
            log.LogInformation("Ready: model {ModelId}, {Count} reference photos, LMM {Provider}",
                manifest.Id, count, pipelines.Providers.Default.Info.Name);
            await waits.WatchAsync(probes, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is G3.Core.Errors.G3Exception or G3.Core.Options.G3OptionsException or IOException)
        {
            // An expected refusal (a missing model or store, invalid options, a collection of another dimension): its
            // message says it all, no stack trace. The process stays up (liveness) and /readyz explains what is wrong.
            status.Fail(e.Message);
            log.LogError("The service could not start: {Reason}", e.Message);
        }
        catch (Exception e)
        {
            status.Fail(e.Message);
            log.LogError(e, "The service could not start: {Reason}", e.Message);
        }
    }

    /// <summary>Resolves every port, so each loads now rather than on the first request; logs what runs where.</summary>
    private G3Pipelines Load(IServiceProvider sp)
    {
        var image = sp.GetRequiredService<ImageEncoder>();
        var location = sp.GetRequiredService<OnnxLocationEncoder>();
        // Provider names at Information; why they were chosen (which may name a library's path) at Debug.
        log.LogInformation("Model {ModelId} on ONNX Runtime {OnnxRuntime}: image encoder {ImageProvider}; location encoder {LocationProvider}",
            image.Model.Manifest.Id, OnnxRuntimeBuild.Version, image.Model.Session.ExecutionProvider, location.Session.ExecutionProvider);
        log.LogDebug("Model {ModelId}: image encoder {ImageDetail}; location encoder {LocationDetail}",
            image.Model.Manifest.Id, image.Model.Session.ExecutionProviderDescription, location.Session.ExecutionProviderDescription);
        var pipelines = sp.GetRequiredService<G3Pipelines>();
        if (sp.GetService<G3.Core.Pipeline.TextGeolocator>() is not null && sp.GetService<G3.Alignment.Text.OnnxTextEncoder>() is { } text)
            log.LogInformation("Model {ModelId}: text tower for text queries ({Vocabulary} tokens, context {Context})",
                image.Model.Manifest.Id, text.Tokenizer.VocabularySize, image.Model.Manifest.Text?.ContextLength);
        return pipelines;
    }

    /// <summary>One pass through the model runs and a store search, so the first request pays no lazy costs.</summary>
    private async Task WarmUpAsync(CancellationToken ct)
    {
        var encoder = services.GetRequiredService<ImageEncoder>();
        var pixels = new float[encoder.TensorLength];
        var embedding = (await encoder.EncodeTensorAsync(pixels, 1, ct))[0];
        await services.GetRequiredService<OnnxLocationEncoder>().EncodeAsync([new GeoPoint(0, 0)], ct);
        await services.GetRequiredService<IReferenceStore>().SearchAsync(embedding.Retrieval, 1, ct);
    }
}
