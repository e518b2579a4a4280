using G3.Alignment.Encoders;
using G3.Alignment.Imaging;
using G3.Alignment.Models;
using G3.Alignment.Onnx;
using G3.Alignment.Text;
using G3.Core.Options;
using G3.Core.Pipeline;
using G3.Core.Ports;
using G3.Diversification.Caching;
using G3.Diversification.Providers;
using G3.Geography;
using G3.Geography.Levels;
using G3.Retrieval;
using G3.Verification.Selectors;
using Microsoft.Extensions.Options;

namespace G3.Host.Composition;

/// <summary>
/// The composition root: every port of the G3 pipeline registered in DI from validated options. Nothing else
/// builds stages by hand; the service's endpoints, the start-up service and the CLI all resolve from here.
/// Singletons load lazily (models, store, geography), so registering costs nothing; the start-up service
/// resolves them in the background and reports readiness (Hosting/G3Startup.cs).
/// </summary>
public static class G3ServiceCollectionExtensions
{
    public static IServiceCollection AddG3(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddG3Options(configuration);

        services.AddSingleton(sp => LoadManifest(sp.GetRequiredService<IOptions<ModelSettings>>().Value));
        services.AddSingleton(sp =>
        {
            // The manifest first: a missing file is reported with the setting that names it.
            var manifest = sp.GetRequiredService<ModelManifest>();
            var model = sp.GetRequiredService<IOptions<ModelSettings>>().Value;
            return ImageEncoder.Open(manifest.SourcePath, model.ImageSession(), sp.GetRequiredService<IOptions<ImageLimits>>().Value);
        });
        // Requests share model runs: concurrent photos go through the model together.
        services.AddSingleton<IImageEncoder>(sp => new MicroBatchingImageEncoder(sp.GetRequiredService<ImageEncoder>()));
        services.AddSingleton(sp =>
        {
            var manifest = sp.GetRequiredService<ModelManifest>();
            return OnnxLocationEncoder.Open(manifest.SourcePath, sp.GetRequiredService<IOptions<ModelSettings>>().Value.LocationSession());
        });
        services.AddSingleton<ILocationEncoder>(sp => sp.GetRequiredService<OnnxLocationEncoder>());
        services.AddSingleton(sp =>
        {
            var manifest = sp.GetRequiredService<ModelManifest>();
            var store = sp.GetRequiredService<IOptions<StoreSettings>>().Value;
            return ReferenceStores.Open(store, G3Paths.Resolve, manifest.Id, manifest.RequireImage().Retrieval.Dimension, create: false, readOnly: true);
        });
        services.AddSingleton<IVerifier>(sp => SelectorCatalog.Create(sp.GetRequiredService<IOptions<PipelineSettings>>().Value.Selector,
            sp.GetRequiredService<ILocationEncoder>(), ManifestOptions.Verifier(sp.GetRequiredService<ModelManifest>())));
        // Optional ports resolve to null where the model or the machine has none (the pipeline then skips them).
        services.AddSingleton(sp => ManifestOptions.OutOfDistributionCheck(sp.GetRequiredService<ModelManifest>())!);
        services.AddSingleton(sp => LoadGeocoder(sp.GetRequiredService<ILoggerFactory>().CreateLogger("G3.Geography"))!);
        services.AddSingleton<IPlaceLevels>(sp => PlaceLevels(sp)!);
        services.AddSingleton(sp => TextEncoder(sp)!);
        services.AddSingleton(sp => TextGeolocatorFor(sp)!);

        services.AddSingleton(sp => LmmProviderRegistry.Create(sp.GetRequiredService<IOptions<LmmOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new G3Caches(sp.GetRequiredService<IOptions<CacheSettings>>().Value,
            sp.GetRequiredService<IOptions<ConnectionStringSettings>>().Value.Cache, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => sp.GetRequiredService<G3Caches>().Answers);
        services.AddSingleton(sp => new RequestDefaults(sp.GetRequiredService<IOptions<PipelineSettings>>().Value));
        services.AddSingleton<G3Pipelines>();
        return services;
    }

    /// <summary>The manifest Model:Manifest names; a missing file is refused with the setting to change.</summary>
    private static ModelManifest LoadManifest(ModelSettings model)
    {
        var path = G3Paths.Resolve(model.Manifest);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model:Manifest '{path}' does not exist (set Model:Manifest to a model manifest.json)", path);
        return ModelManifestLoader.Load(path);
    }

    private static IPlaceLevels? PlaceLevels(IServiceProvider sp)
    {
        if (sp.GetService<ReverseGeocoder>() is not { } geocoder) return null;
        var pipeline = sp.GetRequiredService<IOptions<PipelineSettings>>().Value;
        // The per-level maps were fitted on the consensus decision's probabilities; other selectors' go raw.
        var calibration = SelectorCatalog.IsCalibrated(pipeline.Selector) ? ManifestOptions.LevelCalibration(sp.GetRequiredService<ModelManifest>()) : null;
        return new GeocodedPlaceLevels(geocoder, pipeline.LevelUncertainBelow, calibration);
    }

    private static OnnxTextEncoder? TextEncoder(IServiceProvider sp)
    {
        var manifest = sp.GetRequiredService<ModelManifest>();
        return manifest.Text is null ? null : new OnnxTextEncoder(manifest, sp.GetRequiredService<IOptions<ModelSettings>>().Value.LocationSession());
    }

    private static TextGeolocator? TextGeolocatorFor(IServiceProvider sp)
    {
        if (sp.GetService<OnnxTextEncoder>() is not { } encoder) return null;
        var manifest = sp.GetRequiredService<ModelManifest>();
        return new TextGeolocator(encoder, sp.GetRequiredService<IReferenceStore>(), sp.GetRequiredService<OnnxLocationEncoder>(),
            manifest.Text!.LogitScale ?? manifest.Verification.LogitScale ?? 100);
    }

    private static ReverseGeocoder? LoadGeocoder(ILogger log)
    {
        try
        {
            return ReverseGeocoder.Load();
        }
        catch (GeographyDataException e)
        {
            // Answers still carry coordinates; only the place names are missing.
            log.LogWarning("Offline geography unavailable, answers will have no place names: {Reason}", e.Message);
            return null;
        }
    }
}
