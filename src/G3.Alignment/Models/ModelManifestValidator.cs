using G3.Alignment.Onnx;

namespace G3.Alignment.Models;

/// <summary>
/// Turns a parsed manifest document into a loaded manifest: checks every rule, reports every problem together
/// in one <see cref="ModelManifestException"/> (one fix-and-retry cycle covers them all), and resolves file
/// names against the manifest's folder. A section with problems stays out of the checks across sections, so
/// each mistake is reported once.
/// </summary>
internal static class ModelManifestValidator
{
    public static ModelManifest Validate(string path, ModelManifest d)
    {
        var problems = new List<string>();
        var folder = Path.GetDirectoryName(path)!;

        if (d.FormatVersion is { } version && version != ModelManifestLoader.FormatVersion)
            problems.Add($"formatVersion {version} is not supported (this build reads {ModelManifestLoader.FormatVersion})");
        if (string.IsNullOrWhiteSpace(d.Id))
            problems.Add("id is required (a short name for the model, e.g. \"g3-mp16pro\")");
        if (d.Image is null && d.Location is null)
            problems.Add("declares neither an \"image\" nor a \"location\" model; at least one is required");

        var verification = Verification(d.Verification, problems);
        var image = d.Image is null ? null : Image(d.Image, folder, problems);
        if (d.Preprocessing is not null)
            Preprocessing(d.Preprocessing, image, problems);
        else if (d.Image is not null)
            problems.Add("preprocessing is required with an image model (inputSize, resize, crop, mean, std)");
        var location = d.Location is null ? null : Location(d.Location, folder, problems);
        if (image is not null && location is not null && image.Gps.Dimension != location.Dimension)
            problems.Add($"image.gps.dim ({image.Gps.Dimension}) must equal location.dim ({location.Dimension}): the verifier compares them");
        var text = d.Text is null ? null : Text(d.Text, folder, image, location, problems);

        string? modelCard = null;
        if (!string.IsNullOrWhiteSpace(d.ModelCardPath))
        {
            modelCard = Path.GetFullPath(Path.Combine(folder, d.ModelCardPath));
            if (!File.Exists(modelCard)) problems.Add($"modelCard '{d.ModelCardPath}' does not exist beside the manifest");
        }
        if (d.OutOfDistribution is { } ood) OutOfDistribution(ood, image, problems);
        if (d.ViewAgreement is { } views) ViewAgreement(views, problems);

        if (problems.Count > 0) throw new ModelManifestException(path, problems);
        return d with { SourcePath = path, Verification = verification, Image = image, Location = location, Text = text, ModelCardPath = modelCard };
    }

    private static VerificationSpec Verification(VerificationSpec v, List<string> problems)
    {
        if (!ManifestNames.Metric.TryParse(v.MetricName, out _))
            problems.Add($"verification.metric '{v.MetricName}' is not one of cosine, dot");
        if (v.LogitScale is not null && v.Temperature is not null)
            problems.Add("verification: give logitScale or temperature, not both");
        else if (v.LogitScale is { } s && !IsPositive(s))
            problems.Add($"verification.logitScale must be a positive number, not {s}");
        else if (v.Temperature is { } t && !IsPositive(t))
            problems.Add($"verification.temperature must be a positive number, not {t}");
        if (v.Calibration is { } c)
        {
            if (!IsIsotonic(c.Method))
                problems.Add($"verification.calibration.method '{c.Method}' is not supported (only \"isotonic\")");
            if (!IsPositive(c.RadiusKm))
                problems.Add("verification.calibration.radiusKm must be a positive number of km");
            Isotonic(c.Raw, c.Calibrated, "verification.calibration", problems);
        }
        if (v.Consensus is { } consensus) Consensus(consensus, problems);
        if (v.LevelCalibration is { } levels) LevelCalibration(levels, problems);
        return v with { LogitScale = v.LogitScale ?? 1 / v.Temperature, Temperature = null };
    }

    private static bool IsIsotonic(string? method) => string.Equals(method?.Trim(), "isotonic", StringComparison.OrdinalIgnoreCase);

    private static bool IsPositive(double value) => double.IsFinite(value) && value > 0;

    /// <summary>Isotonic knots: two arrays of the same non-zero length, in 0..1, non-decreasing in both columns.</summary>
    private static void Isotonic(IReadOnlyList<double> raw, IReadOnlyList<double> calibrated, string where, List<string> problems)
    {
        if (raw.Count == 0 || calibrated.Count != raw.Count)
        {
            problems.Add($"{where} needs \"raw\" and \"calibrated\" arrays of the same non-zero length");
            return;
        }
        for (var i = 0; i < raw.Count; i++)
        {
            if (!(raw[i] is >= 0 and <= 1) || !(calibrated[i] is >= 0 and <= 1))
                problems.Add($"{where} point {i} ({raw[i]}, {calibrated[i]}) is outside 0..1");
            else if (i > 0 && (raw[i] < raw[i - 1] || calibrated[i] < calibrated[i - 1]))
                problems.Add($"{where} points must be non-decreasing in both columns (point {i})");
        }
    }

    private static void LevelCalibration(LevelCalibrationSpec c, List<string> problems)
    {
        if (!IsIsotonic(c.Method))
            problems.Add($"verification.levelCalibration.method '{c.Method}' is not supported (only \"isotonic\")");
        foreach (var (points, name) in new[] { (c.Country, "country"), (c.Region, "region"), (c.City, "city") })
        {
            if (points is null) problems.Add($"verification.levelCalibration.{name} is required (raw and calibrated arrays)");
            else Isotonic(points.Raw, points.Calibrated, $"verification.levelCalibration.{name}", problems);
        }
    }

    private static void Consensus(ConsensusSpec c, List<string> problems)
    {
        foreach (var (value, name) in new[] { (c.GpsScale, "gpsScale"), (c.RetrievalScale, "retrievalScale"), (c.SupportKm, "supportKm"), (c.RadiusKm, "radiusKm") })
        {
            if (!IsPositive(value)) problems.Add($"verification.consensus.{name} must be a positive number");
        }
        if (c.Floor is not (>= 0 and <= 1))
            problems.Add("verification.consensus.floor must be a number from 0 to 1");
    }

    private static void OutOfDistribution(OutOfDistributionSpec o, ImageModelSpec? image, List<string> problems)
    {
        if (!ManifestNames.OutOfDistribution.TryParse(o.ScoreName, out var score))
            problems.Add($"outOfDistribution.score '{o.ScoreName}' is not supported (\"mean-top-k-similarity\" or \"logistic\")");
        if (o.TopK is not (>= 1 and <= 1000))
            problems.Add("outOfDistribution.topK must be 1..1000");
        if (!double.IsFinite(o.Threshold))
            problems.Add("outOfDistribution.threshold must be a number");
        if (score == OutOfDistributionScore.Logistic)
        {
            // The classifier reads both image outputs and the retrieval score, so its size is fixed by the image model.
            var expected = image is null ? (int?)null : image.Retrieval.Dimension + image.Gps.Dimension + 1;
            if (o.Weights.Count == 0 || o.Weights.Any(x => !double.IsFinite(x)))
                problems.Add("outOfDistribution.weights must be a list of numbers for the logistic score");
            else if (expected is { } n && o.Weights.Count != n)
                problems.Add($"outOfDistribution.weights has {o.Weights.Count} numbers but the image model needs {n} (retrieval dim + GPS dim + 1)");
            if (!double.IsFinite(o.Bias))
                problems.Add("outOfDistribution.bias must be a number for the logistic score");
        }
        else if (o.Weights.Count > 0 || !double.IsNaN(o.Bias))
            problems.Add("outOfDistribution.weights and bias belong to the logistic score only");
    }

    private static void ViewAgreement(ViewAgreementSpec v, List<string> problems)
    {
        if (!string.Equals(v.Score?.Trim(), "retrieval-cosine", StringComparison.OrdinalIgnoreCase))
            problems.Add($"viewAgreement.score '{v.Score}' is not supported (only \"retrieval-cosine\")");
        if (v.Threshold is not (>= -1 and <= 1))
            problems.Add("viewAgreement.threshold must be a cosine similarity (-1..1)");
    }

    private static ImageModelSpec? Image(ImageModelSpec i, string folder, List<string> problems)
    {
        var before = problems.Count;
        var file = RequireFile(i.ModelPath, "image.file", folder, problems);
        RequireName(i.InputName, "image.input", problems);
        var shape = i.InputShape;
        if (shape.Count == 0)
            problems.Add("image.inputShape is required, as [N,3,H,W] with N = -1 for any batch size");
        else if (shape.Count != 4 || shape[1] != 3 || shape[2] <= 0 || shape[3] <= 0 || (shape[0] != -1 && shape[0] <= 0))
            problems.Add($"image.inputShape {OnnxTensorInfo.FormatShape(shape)} is not [N,3,H,W] (N = -1 or positive, H and W positive)");
        Outputs(i.Retrieval, i.Gps, "image", problems);
        if (!ManifestNames.Precision.TryParse(i.PrecisionName, out _))
            problems.Add($"image.precision '{i.PrecisionName}' is not one of float32, float16");
        return problems.Count > before ? null : i with { ModelPath = file! };
    }

    /// <summary>A tower's two embedding outputs: each complete, and not the same tensor.</summary>
    private static void Outputs(EmbeddingOutputSpec? retrieval, EmbeddingOutputSpec? gps, string tower, List<string> problems)
    {
        var before = problems.Count;
        Output(retrieval, tower + ".retrieval", problems);
        Output(gps, tower + ".gps", problems);
        if (problems.Count == before && retrieval!.OutputName == gps!.OutputName)
            problems.Add($"{tower}.retrieval and {tower}.gps name the same output '{gps.OutputName}'");
    }

    private static void Output(EmbeddingOutputSpec? o, string where, List<string> problems)
    {
        if (o is null)
        {
            problems.Add($"{where} is required: {{ \"output\": <tensor name>, \"dim\": <width>, \"normalize\": true|false }}");
            return;
        }
        RequireName(o.OutputName, where + ".output", problems);
        if (o.Dimension <= 0) problems.Add($"{where}.dim must be a positive integer");
    }

    private static void Preprocessing(PreprocessingSpec p, ImageModelSpec? image, List<string> problems)
    {
        if (p.InputSize <= 0)
            problems.Add("preprocessing.inputSize must be a positive integer");
        else if (image is not null && (image.Height != p.InputSize || image.Width != p.InputSize))
            problems.Add($"preprocessing.inputSize {p.InputSize} does not match image.inputShape {OnnxTensorInfo.FormatShape(image.InputShape)}");
        if (!ManifestNames.Resize.TryParse(p.ResizeName, out _))
            problems.Add($"preprocessing.resize '{p.ResizeName}' is not supported (supported: shortest-side-bicubic)");
        if (!ManifestNames.Crop.TryParse(p.CropName, out _))
            problems.Add($"preprocessing.crop '{p.CropName}' is not supported (supported: center)");
        if (p.Mean.Length != 3) problems.Add($"preprocessing.mean needs 3 values (R, G, B), not {p.Mean.Length}");
        if (p.Std.Length != 3) problems.Add($"preprocessing.std needs 3 values (R, G, B), not {p.Std.Length}");
        else if (p.Std.Any(s => !(s > 0) || !float.IsFinite(s))) problems.Add("preprocessing.std values must be positive");
    }

    private static LocationModelSpec? Location(LocationModelSpec l, string folder, List<string> problems)
    {
        var before = problems.Count;
        var file = RequireFile(l.ModelPath, "location.file", folder, problems);
        RequireName(l.InputName, "location.input", problems);
        RequireName(l.OutputName, "location.output", problems);
        if (l.Dimension <= 0) problems.Add("location.dim must be a positive integer");
        if (l.ProjectionName is null)
            problems.Add("location.projection is required: mercator (G3), equal-earth (GeoCLIP) or none");
        else if (!ManifestNames.Projection.TryParse(l.ProjectionName, out _))
            problems.Add($"location.projection '{l.ProjectionName}' is not one of mercator, equal-earth, none");
        return problems.Count > before ? null : l with { ModelPath = file! };
    }

    private static TextModelSpec? Text(TextModelSpec t, string folder, ImageModelSpec? image, LocationModelSpec? location, List<string> problems)
    {
        var before = problems.Count;
        var file = RequireFile(t.ModelPath, "text.file", folder, problems);
        RequireName(t.InputName, "text.input", problems);
        if (t.ContextLength is not (>= 3 and <= TextModelSpec.MaxContextLength))
            problems.Add($"text.contextLength must be 3..{TextModelSpec.MaxContextLength} token positions (CLIP: 77)");
        string? vocab = null, merges = null;
        if (t.Tokenizer is not { } tok)
            problems.Add("text.tokenizer is required: { \"kind\": \"clip-bpe\", \"vocab\": \"vocab.json\", \"merges\": \"merges.txt\" }");
        else
        {
            if (!string.Equals(tok.Kind, "clip-bpe", StringComparison.Ordinal))
                problems.Add($"text.tokenizer.kind '{tok.Kind}' is not supported (only \"clip-bpe\": CLIP's vocab.json + merges.txt)");
            vocab = RequireFile(tok.VocabPath, "text.tokenizer.vocab", folder, problems, "the tokenizer's vocab.json");
            merges = RequireFile(tok.MergesPath, "text.tokenizer.merges", folder, problems, "the tokenizer's merges.txt");
        }
        Outputs(t.Retrieval, t.Gps, "text", problems);
        if (image is null || location is null)
            problems.Add("text needs both an image model (its retrieval space is searched) and a location model (its embeddings are scored)");
        if (t.Retrieval is { Dimension: > 0 } r && image is not null && r.Dimension != image.Retrieval.Dimension)
            problems.Add($"text.retrieval.dim ({r.Dimension}) must equal image.retrieval.dim ({image.Retrieval.Dimension}): text searches the same reference vectors");
        if (t.Gps is { Dimension: > 0 } g && location is not null && g.Dimension != location.Dimension)
            problems.Add($"text.gps.dim ({g.Dimension}) must equal location.dim ({location.Dimension}): text is scored against location embeddings");
        if (t.LogitScale is { } s && !IsPositive(s))
            problems.Add($"text.logitScale must be a positive number, not {s}");
        return problems.Count > before
            ? null
            : t with { ModelPath = file!, Tokenizer = t.Tokenizer with { VocabPath = vocab!, MergesPath = merges! } };
    }

    private static string? RequireFile(string name, string where, string folder, List<string> problems, string what = "the ONNX file name")
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

    private static void RequireName(string name, string where, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(name)) problems.Add($"{where} is required (a tensor name in the ONNX model)");
    }
}
