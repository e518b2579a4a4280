using G3.Alignment.Encoders;
using G3.Alignment.Imaging;
using G3.Alignment.Models;
using G3.Alignment.Onnx;
using G3.Core.Levels;
using G3.Core.Options;
using G3.Diversification.Caching;
using G3.Diversification.Providers;
using G3.Geography;
using G3.Geography.Levels;
using G3.Retrieval;
using G3.Verification.Calibration;
using G3.Verification.Familiarity;
using G3.Verification.Scoring;

namespace G3.Host.Composition;

/// <summary>Builds a <see cref="G3Runtime"/> from configuration: the one place the stages are put together.</summary>
public static class RuntimeFactory
{
    public static G3Runtime Create(IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        var log = loggerFactory.CreateLogger("G3.Runtime");
        var model = ModelSettingsLoader.Load(configuration);
        var store = Bind<StoreSettings>(configuration, StoreSettings.SectionName);
        var pipeline = Bind<PipelineSettings>(configuration, PipelineSettings.SectionName);
        var cache = Bind<CacheSettings>(configuration, CacheSettings.SectionName);
        var limits = configuration.GetSection("Images").Get<ImageLimits>() ?? ImageLimits.Default;
        var lmm = configuration.GetSection("Lmm").Get<LmmOptions>() ?? new LmmOptions();

        var errors = new List<string>();
        errors.AddRange(store.Validate());
        errors.AddRange(limits.Validate().Select(e => "Images: " + e));
        errors.AddRange(LmmOptionsValidator.Validate(lmm));
        errors.AddRange(pipeline.ToOptions().Validate().Select(e => "Pipeline: " + e));
        if (!double.IsFinite(pipeline.LevelUncertainBelow) || pipeline.LevelUncertainBelow is < 0 or > 1)
            errors.Add($"Pipeline: LevelUncertainBelow must be between 0 and 1 (got {pipeline.LevelUncertainBelow})");
        if (pipeline.VerifierError() is { } verifierError) errors.Add(verifierError);
        if (errors.Count > 0) throw new G3OptionsException(errors);

        var manifestPath = G3Paths.Resolve(model.Manifest);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"Model:Manifest '{manifestPath}' does not exist (set Model:Manifest to a model manifest.json)", manifestPath);

        var manifest = ModelManifestLoader.Load(manifestPath);
        var disposables = new List<IDisposable>();
        try
        {
            var imageEncoder = ImageEncoder.Open(manifestPath, model.ImageSession(), limits);
            disposables.Add(imageEncoder);
            var locationEncoder = OnnxLocationEncoder.Open(manifestPath, model.LocationSession());
            disposables.Add(locationEncoder);
            // Provider names at Information; why they were chosen (which may name a library's path) at Debug.
            log.LogInformation("Model {ModelId} on ONNX Runtime {OnnxRuntime}: image encoder {ImageProvider}; location encoder {LocationProvider}",
                manifest.Id, OnnxRuntimeBuild.Version, imageEncoder.Model.Session.ExecutionProvider, locationEncoder.Session.ExecutionProvider);
            log.LogDebug("Model {ModelId}: image encoder {ImageDetail}; location encoder {LocationDetail}",
                manifest.Id, imageEncoder.Model.Session.ExecutionProviderDescription, locationEncoder.Session.ExecutionProviderDescription);

            var referenceStore = ReferenceStores.Open(store, G3Paths.Resolve, manifest.Id, imageEncoder.Model.Spec.Retrieval.Dimension, create: false, readOnly: true);
            if (referenceStore is IDisposable d) disposables.Add(d);

            // The manifest's calibrations were fitted for its consensus decision, so G3's plain argmax goes without them.
            var verifier = new GeoVerifier(locationEncoder, pipeline.UsesArgmax ? ArgmaxOptionsFrom(manifest) : VerifierOptionsFrom(manifest));
            var providers = LmmProviderRegistry.Create(lmm, loggerFactory);
            disposables.Add(providers);
            var responseCache = new ResponseCache(G3Paths.Resolve(cache.Directory), cache.Mode);
            var geocoder = TryLoadGeocoder(log);
            G3.Alignment.Text.OnnxTextEncoder? textEncoder = null;
            G3.Core.Pipeline.TextGeolocator? text = null;
            if (manifest.Text is { } textSpec)
            {
                textEncoder = new G3.Alignment.Text.OnnxTextEncoder(manifest, model.LocationSession());
                disposables.Add(textEncoder);
                text = new G3.Core.Pipeline.TextGeolocator(textEncoder, referenceStore, locationEncoder,
                    textSpec.LogitScale ?? manifest.Verification.LogitScale ?? 100);
                log.LogInformation("Model {ModelId}: text tower for text queries ({Vocabulary} tokens, context {Context})",
                    manifest.Id, textEncoder.Tokenizer.VocabularySize, textSpec.ContextLength);
            }
            return new G3Runtime(imageEncoder, locationEncoder, referenceStore, verifier, providers, responseCache, pipeline.ToOptions(), geocoder)
            {
                ArgmaxVerifier = new GeoVerifier(locationEncoder, ArgmaxOptionsFrom(manifest)),
                RequestTimeout = TimeSpan.FromSeconds(pipeline.RequestTimeoutSeconds > 0 ? pipeline.RequestTimeoutSeconds : 120),
                Familiarity = manifest.OutOfDistribution is { } ood ? FamiliarityChecks.From(ood) : null,
                Levels = geocoder is null ? null : new GeocodedPlaceLevels(geocoder, pipeline.LevelUncertainBelow, pipeline.UsesArgmax ? null : LevelCalibrationFrom(manifest)),
                ViewAgreementThreshold = manifest.ViewAgreement?.Threshold,
                Text = text,
                TextEncoder = textEncoder,
            };
        }
        catch
        {
            foreach (var d in disposables) d.Dispose();
            throw;
        }
    }

    public static T Bind<T>(IConfiguration configuration, string section) where T : new() =>
        configuration.GetSection(section).Get<T>() ?? new T();

    /// <summary>The verifier's settings from the manifest: metric, logit scale and, when fitted, the confidence calibration.</summary>
    internal static VerifierOptions VerifierOptionsFrom(ModelManifest manifest)
    {
        var metric = manifest.Verification.Metric == VerificationMetric.Cosine ? SimilarityMetric.Cosine : SimilarityMetric.Dot;
        var scale = manifest.Verification.LogitScale ?? 100;
        var consensus = manifest.Consensus is { } k ? new ConsensusOptions(k.GpsScale, k.RetrievalScale, k.SupportKm, k.Floor, k.RadiusKm) : null;
        return manifest.Calibration is { } c
            ? new VerifierOptions(metric, scale, c.RadiusKm, new IsotonicCalibration(c.Raw, c.Calibrated), consensus)
            : new VerifierOptions(metric, scale, Consensus: consensus);
    }

    /// <summary>The manifest's per-level calibration as a function (null when it has none).</summary>
    internal static Func<PlaceLevel, double, double>? LevelCalibrationFrom(ModelManifest manifest)
    {
        if (manifest.LevelCalibration is not { } c) return null;
        var country = new IsotonicCalibration(c.Country.Raw, c.Country.Calibrated);
        var region = new IsotonicCalibration(c.Region.Raw, c.Region.Calibrated);
        var city = new IsotonicCalibration(c.City.Raw, c.City.Calibrated);
        return (level, mass) => level switch
        {
            PlaceLevel.Country => country.Apply(mass),
            PlaceLevel.Region => region.Apply(mass),
            _ => city.Apply(mass),
        };
    }

    /// <summary>G3's plain argmax over the same model (the "g3-argmax" selector of experiments): no consensus, no calibration.</summary>
    internal static VerifierOptions ArgmaxOptionsFrom(ModelManifest manifest) =>
        VerifierOptionsFrom(manifest) with { Consensus = null, Calibration = null };

    private static ReverseGeocoder? TryLoadGeocoder(ILogger log)
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
