using System.Text.Json;
using System.Text.Json.Serialization;
using G3.Alignment.Onnx;
using G3.Core.Geo;

namespace G3.Alignment.Models;

/// <summary>
/// Reads and validates a model manifest (JSON beside the ONNX files). Unknown properties are errors,
/// so a typo ("inputshape") is reported instead of silently ignored. Every problem is collected and
/// reported together in one <see cref="ModelManifestException"/>.
/// </summary>
public static class ModelManifestLoader
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static ModelManifest Load(string manifestPath)
    {
        var path = Path.GetFullPath(manifestPath);
        if (!File.Exists(path))
            throw new ModelManifestException(path, ["the file does not exist"]);
        ManifestDocument? document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonSerializer.Deserialize<ManifestDocument>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new ModelManifestException(path, [$"not valid manifest JSON at {e.Path ?? "$"} (line {e.LineNumber + 1}): {e.Message}"], e);
        }
        if (document is null)
            throw new ModelManifestException(path, ["the file holds JSON null, not a manifest object"]);
        return Validate(path, document);
    }

    private static ModelManifest Validate(string path, ManifestDocument d)
    {
        var problems = new List<string>();
        var folder = Path.GetDirectoryName(path)!;

        if (d.FormatVersion is { } version && version != FormatVersion)
            problems.Add($"formatVersion {version} is not supported (this build reads {FormatVersion})");
        if (string.IsNullOrWhiteSpace(d.Id))
            problems.Add("id is required (a short name for the model, e.g. \"g3-mp16pro\")");
        if (d.Image is null && d.Location is null)
            problems.Add("declares neither an \"image\" nor a \"location\" model; at least one is required");

        var verification = ValidateVerification(d.Verification, problems);
        var image = d.Image is null ? null : ValidateImage(d.Image, folder, problems);
        PreprocessingSpec? preprocessing = null;
        if (d.Preprocessing is not null)
            preprocessing = ValidatePreprocessing(d.Preprocessing, image, problems);
        else if (d.Image is not null)
            problems.Add("preprocessing is required with an image model (inputSize, resize, crop, mean, std)");
        var location = d.Location is null ? null : ValidateLocation(d.Location, folder, problems);

        if (image is not null && location is not null && image.Gps.Dimension != location.Dimension)
            problems.Add($"image.gps.dim ({image.Gps.Dimension}) must equal location.dim ({location.Dimension}): the verifier compares them");

        var text = d.Text is null ? null : ValidateText(d.Text, folder, image, location, problems);

        string? modelCard = null;
        if (!string.IsNullOrWhiteSpace(d.ModelCard))
        {
            modelCard = Path.GetFullPath(Path.Combine(folder, d.ModelCard));
            if (!File.Exists(modelCard)) problems.Add($"modelCard '{d.ModelCard}' does not exist beside the manifest");
        }

        var calibration = d.Verification?.Calibration is { } c ? ValidateCalibration(c, problems) : null;
        var consensus = d.Verification?.Consensus is { } cs ? ValidateConsensus(cs, problems) : null;
        var levelCalibration = d.Verification?.LevelCalibration is { } lc ? ValidateLevelCalibration(lc, problems) : null;
        var ood = d.OutOfDistribution is { } o ? ValidateOutOfDistribution(o, image, problems) : null;
        var views = d.ViewAgreement is { } va ? ValidateViewAgreement(va, problems) : null;
        if (problems.Count > 0) throw new ModelManifestException(path, problems);
        return new ModelManifest(d.Id!, path, verification, image, preprocessing, location, modelCard)
        {
            Calibration = calibration,
            Consensus = consensus,
            LevelCalibration = levelCalibration,
            OutOfDistribution = ood,
            ViewAgreement = views,
            Text = text,
        };
    }

    private static ConfidenceCalibrationSpec? ValidateCalibration(CalibrationDocument c, List<string> problems)
    {
        var before = problems.Count;
        if (!string.Equals(c.Method?.Trim(), "isotonic", StringComparison.OrdinalIgnoreCase))
            problems.Add($"verification.calibration.method '{c.Method}' is not supported (only \"isotonic\")");
        if (c.RadiusKm is not { } r || !double.IsFinite(r) || r <= 0)
            problems.Add("verification.calibration.radiusKm must be a positive number of km");
        ValidateIsotonic(c.Raw, c.Calibrated, "verification.calibration", problems);
        return problems.Count > before ? null : new ConfidenceCalibrationSpec(c.RadiusKm!.Value, c.Raw!, c.Calibrated!, c.FittedOn);
    }

    /// <summary>Isotonic knots: two arrays of the same non-zero length, in 0..1, non-decreasing in both columns.</summary>
    private static void ValidateIsotonic(double[]? raw, double[]? calibrated, string where, List<string> problems)
    {
        if (raw is not { Length: > 0 } || calibrated is null || calibrated.Length != raw.Length)
        {
            problems.Add($"{where} needs \"raw\" and \"calibrated\" arrays of the same non-zero length");
            return;
        }
        for (var i = 0; i < raw.Length; i++)
        {
            if (!(raw[i] is >= 0 and <= 1) || !(calibrated[i] is >= 0 and <= 1))
                problems.Add($"{where} point {i} ({raw[i]}, {calibrated[i]}) is outside 0..1");
            else if (i > 0 && (raw[i] < raw[i - 1] || calibrated[i] < calibrated[i - 1]))
                problems.Add($"{where} points must be non-decreasing in both columns (point {i})");
        }
    }

    private static LevelCalibrationSpec? ValidateLevelCalibration(LevelCalibrationDocument c, List<string> problems)
    {
        var before = problems.Count;
        if (!string.Equals(c.Method?.Trim(), "isotonic", StringComparison.OrdinalIgnoreCase))
            problems.Add($"verification.levelCalibration.method '{c.Method}' is not supported (only \"isotonic\")");
        IsotonicPoints? Level(IsotonicPointsDocument? d, string name)
        {
            if (d is null)
            {
                problems.Add($"verification.levelCalibration.{name} is required (raw and calibrated arrays)");
                return null;
            }
            ValidateIsotonic(d.Raw, d.Calibrated, $"verification.levelCalibration.{name}", problems);
            return d.Raw is null || d.Calibrated is null ? null : new IsotonicPoints(d.Raw, d.Calibrated);
        }
        var country = Level(c.Country, "country");
        var region = Level(c.Region, "region");
        var city = Level(c.City, "city");
        return problems.Count > before ? null : new LevelCalibrationSpec(country!, region!, city!, c.FittedOn);
    }

    private static ConsensusSpec? ValidateConsensus(ConsensusDocument c, List<string> problems)
    {
        var before = problems.Count;
        void Positive(double? v, string name)
        {
            if (v is not { } x || !double.IsFinite(x) || x <= 0)
                problems.Add($"verification.consensus.{name} must be a positive number");
        }
        Positive(c.GpsScale, "gpsScale");
        Positive(c.RetrievalScale, "retrievalScale");
        Positive(c.SupportKm, "supportKm");
        Positive(c.RadiusKm, "radiusKm");
        if (c.Floor is not (>= 0 and <= 1))
            problems.Add("verification.consensus.floor must be a number from 0 to 1");
        return problems.Count > before ? null
            : new ConsensusSpec(c.GpsScale!.Value, c.RetrievalScale!.Value, c.SupportKm!.Value, c.Floor!.Value, c.RadiusKm!.Value, c.FittedOn);
    }

    private static OutOfDistributionSpec? ValidateOutOfDistribution(OutOfDistributionDocument o, ImageModelSpec? image, List<string> problems)
    {
        var before = problems.Count;
        OutOfDistributionScore? score = o.Score?.Trim().ToLowerInvariant() switch
        {
            "mean-top-k-similarity" => OutOfDistributionScore.MeanTopKSimilarity,
            "logistic" => OutOfDistributionScore.Logistic,
            _ => null,
        };
        if (score is null)
            problems.Add($"outOfDistribution.score '{o.Score}' is not supported (\"mean-top-k-similarity\" or \"logistic\")");
        if (o.TopK is not (>= 1 and <= 1000))
            problems.Add("outOfDistribution.topK must be 1..1000");
        if (o.Threshold is not { } t || !double.IsFinite(t))
            problems.Add("outOfDistribution.threshold must be a number");
        if (score == OutOfDistributionScore.Logistic)
        {
            // The classifier reads both image outputs and the retrieval score, so its size is fixed by the image model.
            var expected = image is null ? (int?)null : image.Retrieval.Dimension + image.Gps.Dimension + 1;
            if (o.Weights is not { Length: > 0 } w || w.Any(x => !double.IsFinite(x)))
                problems.Add("outOfDistribution.weights must be a list of numbers for the logistic score");
            else if (expected is { } n && w.Length != n)
                problems.Add($"outOfDistribution.weights has {w.Length} numbers but the image model needs {n} (retrieval dim + GPS dim + 1)");
            if (o.Bias is not { } b || !double.IsFinite(b))
                problems.Add("outOfDistribution.bias must be a number for the logistic score");
        }
        else if (o.Weights is not null || o.Bias is not null)
            problems.Add("outOfDistribution.weights and bias belong to the logistic score only");
        return problems.Count > before ? null : new OutOfDistributionSpec(o.TopK!.Value, o.Threshold!.Value, o.MeasuredOn)
        {
            Score = score!.Value,
            Weights = o.Weights ?? [],
            Bias = o.Bias ?? 0,
        };
    }

    private static ViewAgreementSpec? ValidateViewAgreement(ViewAgreementDocument v, List<string> problems)
    {
        var before = problems.Count;
        if (!string.Equals(v.Score?.Trim(), "retrieval-cosine", StringComparison.OrdinalIgnoreCase))
            problems.Add($"viewAgreement.score '{v.Score}' is not supported (only \"retrieval-cosine\")");
        if (v.Threshold is not (>= -1 and <= 1))
            problems.Add("viewAgreement.threshold must be a cosine similarity (-1..1)");
        return problems.Count > before ? null : new ViewAgreementSpec(v.Threshold!.Value, v.MeasuredOn);
    }

    private static VerificationSpec ValidateVerification(VerificationDocument? v, List<string> problems)
    {
        if (v is null) return new VerificationSpec(VerificationMetric.Cosine, null);
        var metric = VerificationMetric.Cosine;
        switch (v.Metric?.Trim().ToUpperInvariant())
        {
            case null or "COSINE": break;
            case "DOT": metric = VerificationMetric.Dot; break;
            default: problems.Add($"verification.metric '{v.Metric}' is not one of cosine, dot"); break;
        }
        double? scale = null;
        if (v.LogitScale is not null && v.Temperature is not null)
            problems.Add("verification: give logitScale or temperature, not both");
        else if (v.LogitScale is { } s)
        {
            if (!double.IsFinite(s) || s <= 0) problems.Add($"verification.logitScale must be a positive number, not {s}");
            else scale = s;
        }
        else if (v.Temperature is { } t)
        {
            if (!double.IsFinite(t) || t <= 0) problems.Add($"verification.temperature must be a positive number, not {t}");
            else scale = 1 / t;
        }
        return new VerificationSpec(metric, scale);
    }

    private static ImageModelSpec? ValidateImage(ImageDocument i, string folder, List<string> problems)
    {
        var before = problems.Count;
        var file = RequireFile(i.File, "image.file", folder, problems);
        RequireName(i.Input, "image.input", problems);
        var shape = i.InputShape;
        if (shape is null)
            problems.Add("image.inputShape is required, as [N,3,H,W] with N = -1 for any batch size");
        else if (shape.Length != 4 || shape[1] != 3 || shape[2] <= 0 || shape[3] <= 0 || (shape[0] != -1 && shape[0] <= 0))
            problems.Add($"image.inputShape {OnnxTensorInfo.FormatShape(shape)} is not [N,3,H,W] (N = -1 or positive, H and W positive)");
        var retrieval = ValidateOutput(i.Retrieval, "image.retrieval", problems);
        var gps = ValidateOutput(i.Gps, "image.gps", problems);
        if (retrieval is not null && gps is not null && retrieval.OutputName == gps.OutputName)
            problems.Add($"image.retrieval and image.gps name the same output '{gps.OutputName}'");
        var precision = ModelPrecision.Float32;
        switch (i.Precision)
        {
            case null or "float32": break;
            case "float16": precision = ModelPrecision.Float16; break;
            default: problems.Add($"image.precision '{i.Precision}' is not one of float32, float16"); break;
        }
        return problems.Count > before
            ? null
            : new ImageModelSpec(file!, i.Input!, shape!, retrieval!, gps!) { Precision = precision, AllowTf32 = i.AllowTf32 ?? false };
    }

    private static EmbeddingOutputSpec? ValidateOutput(OutputDocument? o, string where, List<string> problems)
    {
        if (o is null)
        {
            problems.Add($"{where} is required: {{ \"output\": <tensor name>, \"dim\": <width>, \"normalize\": true|false }}");
            return null;
        }
        var before = problems.Count;
        RequireName(o.Output, where + ".output", problems);
        if (o.Dim is not > 0) problems.Add($"{where}.dim must be a positive integer");
        return problems.Count > before ? null : new EmbeddingOutputSpec(o.Output!, o.Dim!.Value, o.Normalize ?? true);
    }

    private static PreprocessingSpec? ValidatePreprocessing(PreprocessingDocument p, ImageModelSpec? image, List<string> problems)
    {
        var before = problems.Count;
        if (p.InputSize is not > 0)
            problems.Add("preprocessing.inputSize must be a positive integer");
        else if (image is not null && (image.Height != p.InputSize || image.Width != p.InputSize))
            problems.Add($"preprocessing.inputSize {p.InputSize} does not match image.inputShape {OnnxTensorInfo.FormatShape(image.InputShape)}");
        if (p.Resize is not (null or "shortest-side-bicubic"))
            problems.Add($"preprocessing.resize '{p.Resize}' is not supported (supported: shortest-side-bicubic)");
        if (p.Crop is not (null or "center"))
            problems.Add($"preprocessing.crop '{p.Crop}' is not supported (supported: center)");
        var mean = p.Mean ?? PreprocessingSpec.ClipMean;
        var std = p.Std ?? PreprocessingSpec.ClipStd;
        if (mean.Length != 3) problems.Add($"preprocessing.mean needs 3 values (R, G, B), not {mean.Length}");
        if (std.Length != 3) problems.Add($"preprocessing.std needs 3 values (R, G, B), not {std.Length}");
        else if (std.Any(s => !(s > 0) || !float.IsFinite(s))) problems.Add("preprocessing.std values must be positive");
        return problems.Count > before
            ? null
            : new PreprocessingSpec(p.InputSize!.Value, ResizeMode.ShortestSideBicubic, CropMode.Center, [.. mean], [.. std]);
    }

    private static LocationModelSpec? ValidateLocation(LocationDocument l, string folder, List<string> problems)
    {
        var before = problems.Count;
        var file = RequireFile(l.File, "location.file", folder, problems);
        RequireName(l.Input, "location.input", problems);
        RequireName(l.Output, "location.output", problems);
        if (l.Dim is not > 0) problems.Add("location.dim must be a positive integer");
        LocationProjection projection = default;
        switch (l.Projection)
        {
            case "mercator": projection = LocationProjection.Mercator; break;
            case "equal-earth": projection = LocationProjection.EqualEarth; break;
            case "none": projection = LocationProjection.None; break;
            case null: problems.Add("location.projection is required: mercator (G3), equal-earth (GeoCLIP) or none"); break;
            default: problems.Add($"location.projection '{l.Projection}' is not one of mercator, equal-earth, none"); break;
        }
        return problems.Count > before
            ? null
            : new LocationModelSpec(file!, l.Input!, l.Output!, l.Dim!.Value, projection, l.Normalize ?? true) { AllowTf32 = l.AllowTf32 ?? false };
    }

    /// <summary>Largest context a text model may declare (CLIP's is 77).</summary>
    public const int MaxTextContext = 1024;

    private static TextModelSpec? ValidateText(TextDocument t, string folder, ImageModelSpec? image, LocationModelSpec? location, List<string> problems)
    {
        var before = problems.Count;
        var file = RequireFile(t.File, "text.file", folder, problems);
        RequireName(t.Input, "text.input", problems);
        if (t.ContextLength is not (>= 3 and <= MaxTextContext))
            problems.Add($"text.contextLength must be 3..{MaxTextContext} token positions (CLIP: 77)");
        string? vocab = null, merges = null;
        if (t.Tokenizer is not { } tok)
            problems.Add("text.tokenizer is required: { \"kind\": \"clip-bpe\", \"vocab\": \"vocab.json\", \"merges\": \"merges.txt\" }");
        else
        {
            if (!string.Equals(tok.Kind, "clip-bpe", StringComparison.Ordinal))
                problems.Add($"text.tokenizer.kind '{tok.Kind}' is not supported (only \"clip-bpe\": CLIP's vocab.json + merges.txt)");
            vocab = RequireFile(tok.Vocab, "text.tokenizer.vocab", folder, problems, "the tokenizer's vocab.json");
            merges = RequireFile(tok.Merges, "text.tokenizer.merges", folder, problems, "the tokenizer's merges.txt");
        }
        var retrieval = ValidateOutput(t.Retrieval, "text.retrieval", problems);
        var gps = ValidateOutput(t.Gps, "text.gps", problems);
        if (retrieval is not null && gps is not null && retrieval.OutputName == gps.OutputName)
            problems.Add($"text.retrieval and text.gps name the same output '{gps.OutputName}'");
        if (image is null || location is null)
            problems.Add("text needs both an image model (its retrieval space is searched) and a location model (its embeddings are scored)");
        if (retrieval is not null && image is not null && retrieval.Dimension != image.Retrieval.Dimension)
            problems.Add($"text.retrieval.dim ({retrieval.Dimension}) must equal image.retrieval.dim ({image.Retrieval.Dimension}): text searches the same reference vectors");
        if (gps is not null && location is not null && gps.Dimension != location.Dimension)
            problems.Add($"text.gps.dim ({gps.Dimension}) must equal location.dim ({location.Dimension}): text is scored against location embeddings");
        if (t.LogitScale is { } s && (!double.IsFinite(s) || s <= 0))
            problems.Add($"text.logitScale must be a positive number, not {s}");
        return problems.Count > before
            ? null
            : new TextModelSpec(file!, t.Input!, t.ContextLength!.Value, vocab!, merges!, retrieval!, gps!) { LogitScale = t.LogitScale };
    }

    private static string? RequireFile(string? name, string where, string folder, List<string> problems, string what = "the ONNX file name")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{where} is required ({what}, relative to the manifest)");
            return null;
        }
        var full = Path.GetFullPath(Path.Combine(folder, name));
        if (!File.Exists(full))
        {
            problems.Add($"{where} '{name}' does not exist beside the manifest");
            return null;
        }
        return full;
    }

    private static void RequireName(string? name, string where, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(name)) problems.Add($"{where} is required (a tensor name in the ONNX model)");
    }
}
