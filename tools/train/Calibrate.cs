#:project ../../src/G3.Alignment/G3.Alignment.csproj
#:project ../../src/G3.Retrieval/G3.Retrieval.csproj
#:project ../../src/G3.Verification/G3.Verification.csproj
#:project ../../src/G3.Synthetic/G3.Synthetic.csproj
#:project ../../src/G3.Geography/G3.Geography.csproj
#:project ../../src/G3.Evaluation/G3.Evaluation.csproj
#:property PublishAot=false

// Fits g3-mini's confidence calibration and out-of-distribution threshold on held-out photos, writes
// both into the manifest, and measures them on the query set and on generated non-place images,
// all through the service's own code (ImageEncoder, the embedded store `g3 index` built, GeoVerifier):
//
//   dotnet run tools/train/Calibrate.cs -- --manifest models/g3-mini/manifest.json \
//       --heldout data/mp16pro/generated/heldout --world data/mp16pro/generated/world \
//       --store data/stores/g3-mini-v2 [--s 10] [--topk 5] [--quantile 0.02] [--nonplace 200] [--nonplace-fit 200]
//       [--consensus true] [--write true]
//
// Held-out photos: the query split of another seed's world (`g3 synth --seed 2 --database 1 --queries 2000`):
// never trained on, not in the database, not the query set. First, with --consensus true, the
// verifier's consensus decision (ConsensusDecision) is fitted: a grid over its five settings, each
// scored on the held-out photos by its gain over top-1 retrieval at 25 and 200 km (the smaller of the
// two, S = --s); the best is written as verification.consensus. The calibration then maps the chosen
// verifier's raw confidence (probability mass within 200 km of its pick) to the held-out hit rate
// within 200 km (isotonic regression). The answers per level (country, region, city) get their own
// isotonic maps, from the answered unit's probability mass to whether that unit is the truth's. The OOD check is a logistic classifier over [e_img, e_gps^image, mean
// similarity of the top --topk references] (EmbeddingOutOfDistributionCheck), fitted on the first half of
// the held-out photos against generated non-place images of seed 11 (--nonplace-fit per kind); its
// threshold is the --quantile quantile of the second half's scores. It is measured on the query set
// and on non-place images of seed 7 (--nonplace per kind), which neither fit saw.

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using G3.Alignment.Encoders;
using G3.Alignment.Models;
using G3.Alignment.Onnx;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Levels;
using G3.Core.Ports;
using G3.Evaluation;
using G3.Geography;
using G3.Geography.Levels;
using G3.Retrieval.Embedded;
using G3.Retrieval.Mp16;
using G3.Synthetic;
using G3.Synthetic.Jpeg;
using G3.Synthetic.Rendering;
using G3.Verification.Calibration;
using G3.Verification.OutOfDistribution;
using G3.Verification.Scoring;

var inv = CultureInfo.InvariantCulture;
var options = ParseArgs(args);
string Get(string name, string? fallback = null) =>
    options.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");
string[] known = ["manifest", "heldout", "world", "store", "s", "topk", "quantile", "nonplace", "nonplace-fit", "consensus", "write"];
foreach (var k in options.Keys) if (!known.Contains(k)) throw new ArgumentException($"unknown option --{k}");

var manifestPath = Path.GetFullPath(Get("manifest"));
var heldout = Path.GetFullPath(Get("heldout"));
var world = Path.GetFullPath(Get("world"));
var s = int.Parse(Get("s", "10"), inv);
var topK = int.Parse(Get("topk", "5"), inv);
var quantile = double.Parse(Get("quantile", "0.02"), inv);
var nonPlacePerKind = int.Parse(Get("nonplace", "200"), inv);
var nonPlaceFitPerKind = int.Parse(Get("nonplace-fit", "200"), inv);
var write = bool.Parse(Get("write", "true"));
var fitConsensus = bool.Parse(Get("consensus", "true"));
const double RadiusKm = 200;

// ONNX Runtime's native library comes with the G3.Alignment project's NuGet package.
var session = new OnnxSessionOptions();
var manifest = ModelManifestLoader.Load(manifestPath);
using var imageEncoder = ImageEncoder.Open(manifestPath, session);
using var locationEncoder = OnnxLocationEncoder.Open(manifestPath, session);
using var store = EmbeddedReferenceStore.Open(Path.GetFullPath(Get("store")), manifest.Id, manifest.RequireImage().Retrieval.Dimension);
var metric = manifest.Verification.Metric == VerificationMetric.Dot ? SimilarityMetric.Dot : SimilarityMetric.Cosine;
// Raw (uncalibrated) confidence at the calibration radius; G3's argmax until the consensus is fitted.
var argmaxOptions = new VerifierOptions(metric, manifest.Verification.LogitScale ?? 100, RadiusKm);
IVerifier verifier = new GeoVerifier(locationEncoder, argmaxOptions);
var outOfDistribution = new RetrievalOutOfDistributionCheck(topK, 0);

async Task<List<Mp16Record>> ReadSplit(string root)
{
    var list = new List<Mp16Record>();
    await foreach (var r in Mp16CsvReader.ReadAsync(Path.Combine(root, "im2gps3k", "metadata.csv"))) list.Add(r);
    return list;
}

// Per photo: raw confidence, error (km, NaN without truth), OOD features [e_img, e_gps, mean top-k similarity],
// and what the verifier was given and said (for the consensus fit).
async Task<List<Measured>> Measure(IReadOnlyList<Photo> photos, string label)
{
    var results = new List<Measured>();
    const int Batch = 32;
    for (var start = 0; start < photos.Count; start += Batch)
    {
        var chunk = photos.Skip(start).Take(Batch).ToList();
        var embeddings = await imageEncoder.EncodeBatchAsync(chunk.Select(p => new QueryImage(p.Bytes())).ToList(), CancellationToken.None);
        var found = await store.SearchBatchAsync(embeddings.Select(e => (ReadOnlyMemory<float>)e.Retrieval).ToList(), Math.Max(s, topK), CancellationToken.None);
        for (var i = 0; i < chunk.Count; i++)
        {
            var candidates = found[i].Take(s).Select(Candidate.FromReference).ToList();
            var verdict = await verifier.VerifyAsync(embeddings[i], candidates, CancellationToken.None);
            var error = chunk[i].Truth is { } t ? GreatCircle.DistanceKm(verdict.Ranked[0].Candidate.Point!.Value, t) : double.NaN;
            results.Add(new Measured(verdict.Confidence ?? 0, error,
                [.. Unit(embeddings[i].Retrieval), .. Unit(embeddings[i].Gps), outOfDistribution.Score(found[i]) ?? -1])
            {
                Embedding = embeddings[i],
                Verdict = verdict,
                Truth = chunk[i].Truth,
                Candidates = candidates,
                // The verifier's score per candidate, back in retrieval order.
                GpsScores = candidates.Select(c => verdict.Ranked.First(r => ReferenceEquals(r.Candidate, c)).Score!.Value).ToArray(),
                CandidateErrorsKm = chunk[i].Truth is { } truth ? candidates.Select(c => GreatCircle.DistanceKm(c.Point!.Value, truth)).ToArray() : null,
            });
        }
        Console.Error.Write($"\r{label}: {Math.Min(start + Batch, photos.Count)}/{photos.Count}");
    }
    Console.Error.WriteLine();
    return results;
}

var heldRecords = await ReadSplit(heldout);
var held = await Measure(FromSplit(heldout, heldRecords), "held-out");
ConsensusFit? consensusFit = null;
if (fitConsensus)
{
    consensusFit = FitConsensus(held);
    verifier = new GeoVerifier(locationEncoder, argmaxOptions with { Consensus = consensusFit.Options });
    // The held-out photos' raw confidence under the chosen decision (same embeddings and candidates).
    for (var i = 0; i < held.Count; i++)
    {
        var verdict = await verifier.VerifyAsync(held[i].Embedding!, held[i].Candidates!, CancellationToken.None);
        held[i] = held[i] with
        {
            Raw = verdict.Confidence ?? 0,
            ErrorKm = held[i].CandidateErrorsKm![held[i].Candidates!.IndexOf(verdict.Ranked[0].Candidate)],
            Verdict = verdict,
        };
    }
}
var calibration = IsotonicCalibration.Fit(held.Select(h => h.Raw).ToList(), held.Select(h => h.ErrorKm <= RadiusKm).ToList(), minBlock: 50);
var queryRecords = await ReadSplit(world);
var queries = await Measure(FromSplit(world, queryRecords), "queries");

// Answers per level: each photo's answered unit and its raw mass, and whether it is the truth's unit.
var geocoder = ReverseGeocoder.Load();
var placeLevels = new GeocodedPlaceLevels(geocoder);
PlaceLevel[] levelNames = [PlaceLevel.Country, PlaceLevel.Region, PlaceLevel.City];
List<(double Mass, bool Right)> LevelOutcomes(List<Measured> photos, PlaceLevel level) => photos.Select(m =>
{
    var answer = placeLevels.Estimate(m.Verdict!.Ranked, m.Verdict.Probabilities!).All.Single(a => a.Level == level);
    return (answer.Confidence, string.Equals(answer.Unit?.Key, placeLevels.UnitsAt(m.Truth!.Value).At(level)?.Key, StringComparison.Ordinal));
}).ToList();
var levelFits = levelNames.Select(level =>
{
    var h = LevelOutcomes(held, level);
    var fit = IsotonicCalibration.Fit(h.Select(x => x.Mass).ToList(), h.Select(x => x.Right).ToList(), minBlock: 50);
    var q = LevelOutcomes(queries, level);
    var raw = LevelReliability.Build(q.Select(x => (x.Mass, x.Right)).ToList());
    var calibratedLevel = LevelReliability.Build(q.Select(x => (fit.Apply(x.Mass), x.Right)).ToList());
    return (Level: level, Fit: fit, Raw: raw, Calibrated: calibratedLevel, Right: q.Count(x => x.Right) / (double)q.Count);
}).ToList();
var calibrated = queries.Select(q => calibration.Apply(q.Raw)).ToList();
var table = ReliabilityTable.Build(calibrated, queries.Select(q => q.ErrorKm).ToList());
var rawTable = ReliabilityTable.Build(queries.Select(q => q.Raw).ToList(), queries.Select(q => q.ErrorKm).ToList());

// Non-place images at the world's photo size: seed 11 to fit the classifier, seed 7 to measure it.
var generator = new SyntheticWorldGenerator(geocoder);
using var jpeg = new JpegEncoder();
async Task<List<(NonPlaceKind Kind, List<Measured> Photos)>> NonPlace(int seed, int perKind)
{
    var synthOptions = new SyntheticWorldOptions { Seed = seed };
    var nonPlace = new NonPlaceImages(generator, synthOptions);
    var canvas = new Canvas(synthOptions.ImageSize);
    var list = new List<(NonPlaceKind, List<Measured>)>();
    foreach (var kind in Enum.GetValues<NonPlaceKind>())
    {
        var images = Enumerable.Range(0, perKind).Select(i => nonPlace.Render(kind, i, canvas, jpeg)).ToList();
        list.Add((kind, await Measure(images.Select(b => new Photo(() => b, null)).ToList(), $"{kind} (seed {seed})")));
    }
    return list;
}

var fitHalf = held.Take(held.Count / 2).ToList();
var thresholdHalf = held.Skip(held.Count / 2).ToList();
var nonPlaceFit = await NonPlace(11, nonPlaceFitPerKind);
var (weights, bias) = LogisticFit.Fit(fitHalf.Select(h => h.Features).ToList(), nonPlaceFit.SelectMany(k => k.Photos).Select(p => p.Features).ToList());
double OodScore(Measured m) => 1 / (1 + Math.Exp(-(bias + m.Features.Select((x, j) => x * weights[j]).Sum())));
var thresholdScores = thresholdHalf.Select(OodScore).Order().ToList();
var threshold = thresholdScores[(int)Math.Floor(quantile * (thresholdScores.Count - 1))];
var nonPlaceTest = await NonPlace(7, nonPlacePerKind);
var kindRates = nonPlaceTest.Select(k => (k.Kind, Flagged: k.Photos.Count(p => OodScore(p) < threshold), k.Photos.Count)).ToList();

if (consensusFit is { } fit)
{
    Console.WriteLine(string.Create(inv, $"consensus decision fitted on {held.Count} held-out photos over {fit.Tried} settings: {fit.Options}"));
    // The consensus figure is the maximum over the grid on the very photos it was chosen on: optimistic by construction.
    Console.WriteLine(string.Create(inv, $"held-out, % within 25 / 200 km: top-1 {fit.Top1[0]:0.0} / {fit.Top1[1]:0.0}; G3 argmax {fit.Argmax[0]:0.0} / {fit.Argmax[1]:0.0}; consensus {fit.Chosen[0]:0.0} / {fit.Chosen[1]:0.0} (the best of {fit.Tried} settings on these same photos, so biased upward; the query set measures it)"));
    Console.WriteLine();
}
Console.WriteLine($"held-out photos: {held.Count} (fit); query photos: {queries.Count} (measured); S = {s}; calibration radius {RadiusKm} km");
Console.WriteLine();
Console.WriteLine("| calibrated confidence | photos | mean confidence | hit rate ≤ 25 km | hit rate ≤ 200 km |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var b in table.Bins)
    Console.WriteLine(string.Create(inv, $"| {b.Low:0.0}–{b.High:0.0} | {b.Count} | {(b.Count == 0 ? "–" : b.MeanConfidence.ToString("0.000", inv))} | {(b.Count == 0 ? "–" : b.HitRate25Km.ToString("0.000", inv))} | {(b.Count == 0 ? "–" : b.HitRate200Km.ToString("0.000", inv))} |"));
Console.WriteLine();
// 95 % intervals: the query photos resampled with replacement (seeded), the ECE recomputed on each resample.
string EceInterval(IReadOnlyList<double> confidence) => Format(BootstrapInterval.Of(queries.Count, picks =>
    ReliabilityTable.Build(picks.Select(i => confidence[i]).ToList(), picks.Select(i => queries[i].ErrorKm).ToList()).ExpectedCalibrationError()));
string Format(BootstrapInterval ci) => string.Create(inv, $"95 % bootstrap interval {ci.Low:0.000}–{ci.High:0.000}");
Console.WriteLine(string.Create(inv, $"ECE (200 km hit): calibrated {table.ExpectedCalibrationError():0.000} ({EceInterval(calibrated)}), raw softmax mass {rawTable.ExpectedCalibrationError():0.000} ({EceInterval(queries.Select(q => q.Raw).ToList())}); {queries.Count} query photos, 2000 resamples, seed 0"));
Console.WriteLine(string.Create(inv, $"mean calibrated confidence {calibrated.Average():0.000}; query hit rate within 200 km {queries.Count(q => q.ErrorKm <= 200) / (double)queries.Count:0.000}"));
Console.WriteLine();
Console.WriteLine("Answers per level on the query photos: right rate, mean confidence and ECE (10 bins), raw mass against calibrated");
Console.WriteLine();
Console.WriteLine("| level | right | raw mean | raw ECE | calibrated mean | calibrated ECE | calibrated ECE, 95 % bootstrap interval | knots |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var l in levelFits)
{
    double Mean(LevelReliability r) => r.Bins.Sum(b => b.Count * b.MeanConfidence) / r.Total;
    var answers = LevelOutcomes(queries, l.Level).Select(x => (l.Fit.Apply(x.Mass), x.Right)).ToList();
    var ci = BootstrapInterval.Of(answers.Count, picks => LevelReliability.Build(picks.Select(i => answers[i]).ToList()).ExpectedCalibrationError);
    Console.WriteLine(string.Create(inv, $"| {l.Level} | {l.Right:0.000} | {Mean(l.Raw):0.000} | {l.Raw.ExpectedCalibrationError:0.000} | {Mean(l.Calibrated):0.000} | {l.Calibrated.ExpectedCalibrationError:0.000} | {ci.Low:0.000}–{ci.High:0.000} | {l.Fit.Raw.Count} |"));
}
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"OOD: logistic over [e_img, e_gps, mean similarity of the top {topK}], fitted on {fitHalf.Count} held-out photos against {nonPlaceFit.Sum(k => k.Photos.Count)} non-place images (seed 11); threshold {threshold:0.0000} = the {quantile:0.00} quantile of {thresholdHalf.Count} other held-out photos"));
Console.WriteLine("| photos | flagged |");
Console.WriteLine("|---|---:|");
Console.WriteLine(string.Create(inv, $"| held-out world photos (threshold fit) | {100.0 * thresholdHalf.Count(h => OodScore(h) < threshold) / thresholdHalf.Count:0.0} % of {thresholdHalf.Count} |"));
Console.WriteLine(string.Create(inv, $"| query photos (world, held out from the fit) | {100.0 * queries.Count(q => OodScore(q) < threshold) / queries.Count:0.0} % of {queries.Count} |"));
foreach (var (kind, flagged, count) in kindRates)
    Console.WriteLine(string.Create(inv, $"| {kind} | {100.0 * flagged / count:0.0} % of {count} |"));
Console.WriteLine(string.Create(inv, $"| all non-place images | {100.0 * kindRates.Sum(k => k.Flagged) / kindRates.Sum(k => k.Count):0.0} % of {kindRates.Sum(k => k.Count)} |"));

if (write)
{
    var node = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
    var verification = node["verification"]?.AsObject() ?? throw new InvalidOperationException("the manifest has no verification section");
    if (consensusFit is { Options: var c })
        verification["consensus"] = new JsonObject
        {
            ["gpsScale"] = c.GpsScale,
            ["retrievalScale"] = c.RetrievalScale,
            ["supportKm"] = c.SupportKm,
            ["floor"] = c.Floor,
            ["radiusKm"] = c.RadiusKm,
            ["fittedOn"] = $"{held.Count} held-out synthetic photos (g3 synth --seed 2 query split), S = {s}: the best of {consensusFit.Tried} settings by the smaller gain over top-1 at 25 and 200 km",
        };
    else
        verification.Remove("consensus");
    verification["calibration"] = new JsonObject
    {
        ["method"] = "isotonic",
        ["radiusKm"] = RadiusKm,
        ["raw"] = new JsonArray(calibration.Raw.Select(x => (JsonNode)Math.Round(x, 5)).ToArray()),
        ["calibrated"] = new JsonArray(calibration.Calibrated.Select(x => (JsonNode)Math.Round(x, 5)).ToArray()),
        ["fittedOn"] = $"{held.Count} held-out synthetic photos (g3 synth --seed 2 query split), S = {s}",
    };
    JsonObject Knots(IsotonicCalibration fit) => new()
    {
        ["raw"] = new JsonArray(fit.Raw.Select(x => (JsonNode)Math.Round(x, 5)).ToArray()),
        ["calibrated"] = new JsonArray(fit.Calibrated.Select(x => (JsonNode)Math.Round(x, 5)).ToArray()),
    };
    verification["levelCalibration"] = new JsonObject
    {
        ["method"] = "isotonic",
        ["country"] = Knots(levelFits[0].Fit),
        ["region"] = Knots(levelFits[1].Fit),
        ["city"] = Knots(levelFits[2].Fit),
        ["fittedOn"] = $"{held.Count} held-out synthetic photos (g3 synth --seed 2 query split), S = {s}: the answered unit's mass against whether it is the truth's unit",
    };
    node["outOfDistribution"] = new JsonObject
    {
        ["score"] = "logistic",
        ["topK"] = topK,
        ["weights"] = new JsonArray(weights.Select(x => (JsonNode)Math.Round(x, 6)).ToArray()),
        ["bias"] = Math.Round(bias, 6),
        ["threshold"] = Math.Round(threshold, 6),
        ["fittedOn"] = $"{fitHalf.Count} held-out synthetic photos (g3 synth --seed 2 query split, first half) against {nonPlaceFit.Sum(k => k.Photos.Count)} generated non-place images (seed 11)",
        ["measuredOn"] = string.Create(inv, $"{quantile:0.00} quantile of {thresholdHalf.Count} other held-out synthetic photos (second half)"),
    };
    File.WriteAllText(manifestPath, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    Console.Error.WriteLine($"wrote calibration ({calibration.Raw.Count} points) and OOD threshold into {manifestPath}");
}
return 0;

static List<Photo> FromSplit(string root, List<Mp16Record> records) =>
    records.Select(r => new Photo(() => File.ReadAllBytes(Path.Combine(root, "im2gps3k", "images", r.Id)), r.Point)).ToList();

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
        result[args[i][2..]] = args[i + 1];
    }
    return result;
}

static double[] Unit(float[] v)
{
    var norm = Math.Sqrt(v.Sum(x => (double)x * x));
    return v.Select(x => norm > 0 ? x / norm : 0).ToArray();
}

// The grid behind verification.consensus: every setting is scored on the held-out photos by the
// smaller of its two gains over top-1 retrieval (25 and 200 km); ties go to the larger sum.
static ConsensusFit FitConsensus(List<Measured> held)
{
    double[] Hits(int[] picks) =>
    [
        100.0 * held.Where((m, i) => m.CandidateErrorsKm![picks[i]] <= 25).Count() / held.Count,
        100.0 * held.Where((m, i) => m.CandidateErrorsKm![picks[i]] <= 200).Count() / held.Count,
    ];
    int Argmax(double[] x) { var best = 0; for (var i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i; return best; }
    var points = held.Select(m => m.Candidates!.Select(c => c.Point!.Value).ToList()).ToList();
    var similarities = held.Select(m => m.Candidates!.Select(c => c.Similarity).ToList()).ToList();
    var top1 = Hits(new int[held.Count]);
    var argmax = Hits(held.Select(m => Argmax(m.GpsScores!)).ToArray());
    (ConsensusOptions Options, double[] Hits, double Key, double Sum)? best = null;
    var tried = 0;
    foreach (var gps in new[] { 5.0, 10, 20, 40 })
    foreach (var retrieval in new[] { 20.0, 40, 80 })
    foreach (var support in new[] { 1.0, 10, 50 })
    foreach (var floor in new[] { 0.05, 0.1, 0.2 })
    foreach (var radius in new[] { 100.0, 200, 400 })
    {
        var options = new ConsensusOptions(gps, retrieval, support, floor, radius);
        var picks = held.Select((m, i) => Argmax(ConsensusDecision.Decide(m.GpsScores!, points[i], similarities[i], options).Score)).ToArray();
        var hits = Hits(picks);
        var key = Math.Min(hits[0] - top1[0], hits[1] - top1[1]);
        tried++;
        if (best is null || key > best.Value.Key || (key == best.Value.Key && hits.Sum() > best.Value.Sum))
            best = (options, hits, key, hits.Sum());
    }
    return new ConsensusFit(best!.Value.Options, tried, top1, argmax, best.Value.Hits);
}

/// <summary>What one photo gave: the verifier's raw confidence, its error (km) and the OOD features; and what the verifier saw.</summary>
internal sealed record Measured(double Raw, double ErrorKm, double[] Features)
{
    public ImageEmbedding? Embedding { get; init; }
    public List<Candidate>? Candidates { get; init; }
    public double[]? GpsScores { get; init; }
    public double[]? CandidateErrorsKm { get; init; }
    public Verdict? Verdict { get; init; }
    public GeoPoint? Truth { get; init; }
}

/// <summary>The chosen consensus settings and the held-out accuracy (% within 25 and 200 km) of top-1, G3's argmax and the choice.</summary>
internal sealed record ConsensusFit(ConsensusOptions Options, int Tried, double[] Top1, double[] Argmax, double[] Chosen);

/// <summary>A photo to measure: its bytes (read when needed) and, for world photos, where it was taken.</summary>
internal sealed record Photo(Func<byte[]> Bytes, GeoPoint? Truth);
