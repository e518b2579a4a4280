#:project ../../src/G3.Alignment/G3.Alignment.csproj
#:project ../../src/G3.Retrieval/G3.Retrieval.csproj
#:project ../../src/G3.Verification/G3.Verification.csproj
#:property PublishAot=false

// The model card's K=0 accuracy table, measured through the service's own code: the held-out query
// photos are decoded, preprocessed and encoded by ImageEncoder (ONNX Runtime), the database is
// searched in the embedded store that `g3 index` built with the same model, and the S retrieved
// locations are ranked by GeoVerifier with OnnxLocationEncoder (the manifest's metric and logit scale).
//
//   dotnet run tools/train/MeasureAccuracy.cs -- --manifest models/g3-mini/manifest.json \
//       --world data/mp16pro/generated/world --store data/stores/g3-mini-v2 [--s 10] [--seed 0]
//
// Rows: (a) top-1 retrieved neighbour, (b) the service's verifier's pick among the top S (the manifest's
// consensus decision when it has one), (b0) G3's plain argmax among the same S, (c) a random database
// photo (seeded), and, to read (b) against, the best of the S candidates in hindsight (an upper bound).
// When the world lists its landmark photos (landmarks.csv), (a), (b) and (b0) are repeated for the
// query photos taken at a landmark.

using System.Globalization;
using G3.Alignment.Encoders;
using G3.Alignment.Models;
using G3.Alignment.Onnx;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Retrieval.Embedded;
using G3.Retrieval.Mp16;
using G3.Verification.Scoring;

var options = ParseArgs(args);
string Get(string name, string? fallback = null) =>
    options.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");

var manifestPath = Path.GetFullPath(Get("manifest"));
var world = Path.GetFullPath(Get("world"));
var storeDir = Path.GetFullPath(Get("store"));
var s = int.Parse(Get("s", "10"), CultureInfo.InvariantCulture);
var seed = int.Parse(Get("seed", "0"), CultureInfo.InvariantCulture);
double[] thresholds = [1, 25, 200, 750, 2500];

// ONNX Runtime's native library comes with the G3.Alignment project's NuGet package.
var session = new OnnxSessionOptions();
var manifest = ModelManifestLoader.Load(manifestPath);
using var imageEncoder = ImageEncoder.Open(manifestPath, session);
using var locationEncoder = OnnxLocationEncoder.Open(manifestPath, session);
using var store = EmbeddedReferenceStore.Open(storeDir, manifest.Id, manifest.RequireImage().Retrieval.Dimension);
var metric = manifest.Verification.Metric == VerificationMetric.Dot ? SimilarityMetric.Dot : SimilarityMetric.Cosine;
var consensus = manifest.Consensus is { } k ? new ConsensusOptions(k.GpsScale, k.RetrievalScale, k.SupportKm, k.Floor, k.RadiusKm) : null;
var verifierOptions = manifest.Calibration is { } c
    ? new VerifierOptions(metric, manifest.Verification.LogitScale ?? 100, c.RadiusKm, new G3.Verification.Calibration.IsotonicCalibration(c.Raw, c.Calibrated), consensus)
    : new VerifierOptions(metric, manifest.Verification.LogitScale ?? 100, Consensus: consensus);
// The service's verifier (the manifest's consensus decision when it has one) and G3's plain argmax beside it.
var verifier = new GeoVerifier(locationEncoder, verifierOptions);
var argmax = new GeoVerifier(locationEncoder, verifierOptions with { Consensus = null, Calibration = null });

var database = new List<GeoPoint>();
await foreach (var r in Mp16CsvReader.ReadAsync(Path.Combine(world, "mp16pro", "metadata.csv"))) database.Add(r.Point);
var queries = new List<Mp16Record>();
await foreach (var r in Mp16CsvReader.ReadAsync(Path.Combine(world, "im2gps3k", "metadata.csv"))) queries.Add(r);
Console.Error.WriteLine($"model {manifest.Id}: {queries.Count} queries against {store.Count} stored photos ({database.Count} in the CSV), S = {s}, " +
                        $"verifier {metric}, logit scale {manifest.Verification.LogitScale}");

var landmarkQueries = new HashSet<string>(StringComparer.Ordinal);
var landmarksCsv = Path.Combine(world, "landmarks.csv");
if (File.Exists(landmarksCsv))
    foreach (var line in File.ReadLines(landmarksCsv).Skip(1))
        if (line.StartsWith("q_", StringComparison.Ordinal)) landmarkQueries.Add(line[..line.IndexOf(',', StringComparison.Ordinal)]);

var decision = consensus is null ? "G3 argmax" : "consensus";
string[] rows = ["(a) top-1 retrieved neighbour", $"(b) verifier's pick among top-{s} ({decision})", $"(b0) G3's plain argmax among top-{s}", "(c) random database photo",
    $"best of top-{s} in hindsight (upper bound)",
    $"landmark queries ({landmarkQueries.Count}): (a) top-1", $"landmark queries ({landmarkQueries.Count}): (b) verifier", $"landmark queries ({landmarkQueries.Count}): (b0) G3 argmax"];
var hits = new int[rows.Length, thresholds.Length];
var random = new Random(seed);
double confidenceSum = 0;
const int Batch = 32;
for (var start = 0; start < queries.Count; start += Batch)
{
    var chunk = queries.Skip(start).Take(Batch).ToList();
    var images = new List<QueryImage>();
    foreach (var q in chunk)
        images.Add(new QueryImage(await File.ReadAllBytesAsync(Path.Combine(world, "im2gps3k", "images", q.Id))));
    var embeddings = await imageEncoder.EncodeBatchAsync(images, CancellationToken.None);
    var found = await store.SearchBatchAsync(embeddings.Select(e => (ReadOnlyMemory<float>)e.Retrieval).ToList(), s, CancellationToken.None);
    for (var i = 0; i < chunk.Count; i++)
    {
        var truth = chunk[i].Point;
        var candidates = found[i].Select(Candidate.FromReference).ToList();
        var verdict = await verifier.VerifyAsync(embeddings[i], candidates, CancellationToken.None);
        var plain = await argmax.VerifyAsync(embeddings[i], candidates, CancellationToken.None);
        confidenceSum += verdict.Confidence ?? 0;
        double[] errors =
        [
            GreatCircle.DistanceKm(found[i][0].Point, truth),
            GreatCircle.DistanceKm(verdict.Ranked[0].Candidate.Point!.Value, truth),
            GreatCircle.DistanceKm(plain.Ranked[0].Candidate.Point!.Value, truth),
            GreatCircle.DistanceKm(database[random.Next(database.Count)], truth),
            found[i].Min(h => GreatCircle.DistanceKm(h.Point, truth)),
        ];
        if (landmarkQueries.Contains(chunk[i].Id)) errors = [.. errors, errors[0], errors[1], errors[2]];
        for (var row = 0; row < errors.Length; row++)
            for (var t = 0; t < thresholds.Length; t++)
                if (errors[row] <= thresholds[t]) hits[row, t]++;
    }
    Console.Error.Write($"\r{Math.Min(start + Batch, queries.Count)}/{queries.Count}");
}
Console.Error.WriteLine();

Console.WriteLine("| % of queries within | " + string.Join(" | ", thresholds.Select(t => $"{t:0} km")) + " |");
Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", thresholds.Length)));
for (var row = 0; row < rows.Length; row++)
{
    var n = row < 5 ? queries.Count : landmarkQueries.Count;
    if (n == 0) continue;
    Console.WriteLine($"| {rows[row]} | " + string.Join(" | ",
        Enumerable.Range(0, thresholds.Length).Select(t => (100.0 * hits[row, t] / n).ToString("0.0", CultureInfo.InvariantCulture))) + " |");
}
var meanConfidence = (confidenceSum / queries.Count).ToString("0.000", CultureInfo.InvariantCulture);
Console.WriteLine(manifest.Calibration is { } cal
    ? $"mean verifier confidence (calibrated: estimated probability of being within {cal.RadiusKm.ToString(CultureInfo.InvariantCulture)} km): {meanConfidence}"
    : $"mean verifier confidence (softmax mass within 25 km of the pick): {meanConfidence}");
return 0;

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
        result[args[i][2..]] = args[i + 1];
    }
    return result;
}
