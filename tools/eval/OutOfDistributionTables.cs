#:project ../../src/G3.Alignment/G3.Alignment.csproj
#:project ../../src/G3.Retrieval/G3.Retrieval.csproj
#:project ../../src/G3.Verification/G3.Verification.csproj
#:project ../../src/G3.Synthetic/G3.Synthetic.csproj
#:project ../../src/G3.Geography/G3.Geography.csproj
#:project ../../src/G3.Evaluation/G3.Evaluation.csproj
#:property PublishAot=false

// The out-of-distribution flag on kinds of image it never saw (issue 29), through the service's own code
// (ImageEncoder, the embedded store `g3 index` built, EmbeddingOutOfDistributionCheck, LogisticFit):
//
//   dotnet run tools/eval/OutOfDistributionTables.cs -- --manifest models/g3-mini/manifest.json \
//       --heldout data/mp16pro/generated/heldout --world data/mp16pro/generated/world \
//       --store data/stores/g3-mini-v2 --real data/ood-real/manifest.csv --out experiments/results/ood
//       [--topk 5] [--quantile 0.02] [--nonplace 200] [--nonplace-fit 200]
//
// 1. Leave one kind out: for each of the five generated non-place kinds, the shipped recipe (tools/train/Calibrate.cs:
//    a logistic classifier over [e_img, e_gps^image, mean similarity of the top --topk references], fitted on the first
//    half of the held-out seed-2 photos against seed-11 non-place images, threshold = the --quantile quantile of the
//    second half's scores) is refitted without that kind, and its flag rate measured on seed-7 images of the kind it
//    left out; beside it, the flag rate on the four kinds it saw (seed 7) and the false-flag rate on world photos
//    (the threshold half, and the seed-1 query photos, which no fit saw). Validation data only: the query photos are
//    measured, never fitted on. A sixth row refits on all five kinds (the shipped recipe, for comparison).
// 2. Real images: the shipped classifier (the manifest's weights and threshold) on data/ood-real's images, per kind,
//    each rate with its n and a Wilson 95 % interval. Skipped, and said so, when the images are absent
//    (scripts/fetch-ood-images.sh fetches them).
// Writes report.md, results.json and real-images.csv into --out; prints report.md.

using System.Globalization;
using System.Text;
using System.Text.Json;
using G3.Alignment.Encoders;
using G3.Alignment.Models;
using G3.Alignment.Onnx;
using G3.Core.Ports;
using G3.Evaluation.OutOfDistribution;
using G3.Evaluation.Statistics;
using G3.Geography;
using G3.Retrieval.Embedded;
using G3.Retrieval.Mp16;
using G3.Synthetic;
using G3.Synthetic.Jpeg;
using G3.Synthetic.Rendering;
using G3.Verification.OutOfDistribution;

var inv = CultureInfo.InvariantCulture;
var options = ParseArgs(args);
string[] known = ["manifest", "heldout", "world", "store", "real", "out", "topk", "quantile", "nonplace", "nonplace-fit"];
foreach (var k in options.Keys) if (!known.Contains(k)) throw new ArgumentException($"unknown option --{k}");
string Get(string name, string? fallback = null) =>
    options.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");
var manifestPath = Path.GetFullPath(Get("manifest"));
var heldout = Path.GetFullPath(Get("heldout"));
var world = Path.GetFullPath(Get("world"));
var realManifest = Path.GetFullPath(Get("real"));
var outDir = Path.GetFullPath(Get("out"));
var topK = int.Parse(Get("topk", "5"), inv);
var quantile = double.Parse(Get("quantile", "0.02"), inv);
var perKind = int.Parse(Get("nonplace", "200"), inv);
var perKindFit = int.Parse(Get("nonplace-fit", "200"), inv);

var manifest = ModelManifestLoader.Load(manifestPath);
var spec = manifest.OutOfDistribution is { Score: OutOfDistributionScore.Logistic } s
    ? s : throw new InvalidOperationException("the manifest has no logistic outOfDistribution section to measure");
var shipped = new EmbeddingOutOfDistributionCheck(spec.Weights, spec.Bias, spec.TopK, spec.Threshold);
using var imageEncoder = ImageEncoder.Open(manifestPath, new OnnxSessionOptions());
using var store = EmbeddedReferenceStore.Open(Path.GetFullPath(Get("store")), manifest.Id, manifest.RequireImage().Retrieval.Dimension);
var similarity = new RetrievalOutOfDistributionCheck(topK, 0);

// Per image: the classifier's features and the shipped check's score (the service's own computation).
async Task<List<Scored>> Measure(IReadOnlyList<Func<byte[]>> images, string label)
{
    var results = new List<Scored>();
    const int Batch = 32;
    for (var start = 0; start < images.Count; start += Batch)
    {
        var chunk = images.Skip(start).Take(Batch).Select(read => new QueryImage(read())).ToList();
        var embeddings = await imageEncoder.EncodeBatchAsync(chunk, CancellationToken.None);
        var found = await store.SearchBatchAsync(embeddings.Select(e => (ReadOnlyMemory<float>)e.Retrieval).ToList(), topK, CancellationToken.None);
        for (var i = 0; i < chunk.Count; i++)
        {
            var meanSimilarity = similarity.Score(found[i]) ?? throw new InvalidOperationException("the store returned no references");
            results.Add(new Scored([.. Unit(embeddings[i].Retrieval), .. Unit(embeddings[i].Gps), meanSimilarity], meanSimilarity,
                shipped.Score(embeddings[i], found[i])!.Value));
        }
        Console.Error.Write($"\r{label}: {Math.Min(start + Batch, images.Count)}/{images.Count}");
    }
    Console.Error.WriteLine();
    return results;
}

async Task<List<Func<byte[]>>> Split(string root)
{
    var list = new List<Func<byte[]>>();
    await foreach (var r in Mp16CsvReader.ReadAsync(Path.Combine(root, "im2gps3k", "metadata.csv")))
    {
        var path = Path.Combine(root, "im2gps3k", "images", r.Id);
        list.Add(() => File.ReadAllBytes(path));
    }
    return list;
}

var held = await Measure(await Split(heldout), "held-out (seed 2)");
var fitHalf = held.Take(held.Count / 2).ToList();
var thresholdHalf = held.Skip(held.Count / 2).ToList();
var queries = await Measure(await Split(world), "query photos (seed 1)");

var generator = new SyntheticWorldGenerator(ReverseGeocoder.Load());
using var jpeg = new JpegEncoder();
async Task<Dictionary<NonPlaceKind, List<Scored>>> NonPlace(int seed, int count)
{
    var synth = new SyntheticWorldOptions { Seed = seed };
    var images = new NonPlaceImages(generator, synth);
    var canvas = new Canvas(synth.ImageSize);
    var byKind = new Dictionary<NonPlaceKind, List<Scored>>();
    foreach (var kind in Enum.GetValues<NonPlaceKind>())
    {
        var bytes = Enumerable.Range(0, count).Select(i => images.Render(kind, i, canvas, jpeg)).ToList();
        byKind[kind] = await Measure(bytes.Select(b => (Func<byte[]>)(() => b)).ToList(), $"{kind} (seed {seed})");
    }
    return byKind;
}
var fitImages = await NonPlace(11, perKindFit);
var testImages = await NonPlace(7, perKind);

// One refit of the shipped recipe on the given kinds.
Fit Refit(IReadOnlyList<NonPlaceKind> kinds)
{
    var (weights, bias) = LogisticFit.Fit(fitHalf.Select(h => h.Features).ToList(), kinds.SelectMany(k => fitImages[k]).Select(p => p.Features).ToList());
    double Score(Scored x) => 1 / (1 + Math.Exp(-(bias + x.Features.Select((v, j) => v * weights[j]).Sum())));
    var sorted = thresholdHalf.Select(Score).Order().ToList();
    var threshold = sorted[(int)Math.Floor(quantile * (sorted.Count - 1))];
    Rate RateOf(IEnumerable<Scored> xs) { var list = xs.ToList(); return new Rate(list.Count(x => Score(x) < threshold), list.Count); }
    return new Fit(kinds, threshold,
        RateOf(thresholdHalf), RateOf(queries),
        Enum.GetValues<NonPlaceKind>().ToDictionary(k => k.ToString(), k => RateOf(testImages[k])));
}
var kindsAll = Enum.GetValues<NonPlaceKind>();
var fits = kindsAll.Select(left => (Left: (NonPlaceKind?)left, Fit: Refit(kindsAll.Where(k => k != left).ToList()))).ToList();
fits.Add((null, Refit(kindsAll)));

// The shipped classifier on the real images, when they are here.
var realSet = RealImageSet.Load(realManifest);
var problems = realSet.Problems();
List<(RealImage Image, Scored Result)>? real = null;
if (problems.Count == 0)
{
    var scored = await Measure(realSet.Images.Select(img => (Func<byte[]>)(() => File.ReadAllBytes(realSet.PathOf(img)))).ToList(), "real images");
    real = realSet.Images.Zip(scored).Select(p => (p.First, p.Second)).ToList();
}

// Report.
string Pct(Rate r) => r.N == 0 ? "–" : string.Create(inv, $"{100.0 * r.K / r.N:0.0} %");
string WithInterval(Rate r)
{
    var (lo, hi) = ProportionInterval.Wilson(r.K, r.N);
    return string.Create(inv, $"{Pct(r)} ({r.K} of {r.N}; {100 * lo:0.0}–{100 * hi:0.0})");
}
var md = new StringBuilder();
md.AppendLine("# Out-of-distribution flag on kinds it never saw");
md.AppendLine();
md.AppendLine(string.Create(inv, $"Model `{manifest.Id}`; features [e_img, e_gps^image, mean similarity of the top {topK}] against the store of {store.Count} database photos; ") +
              string.Create(inv, $"each classifier fitted on {fitHalf.Count} held-out world photos (seed 2, first half) against {perKindFit} seed-11 non-place images per kind it saw, ") +
              string.Create(inv, $"threshold = the {quantile:0.00} quantile of {thresholdHalf.Count} other held-out photos; rates measured on {perKind} seed-7 images per kind and on the {queries.Count} seed-1 query photos (no fit saw them). ") +
              "Brackets: flagged of n, Wilson 95 % interval. Written by `tools/eval/OutOfDistributionTables.cs`.");
md.AppendLine();
md.AppendLine("## Leave one kind out");
md.AppendLine();
md.AppendLine("| left out | threshold | flag rate on the kind left out | flag rate on the four kinds seen | false flags: query photos | false flags: held-out (threshold half) |");
md.AppendLine("|---|---:|---:|---:|---:|---:|");
foreach (var (left, fit) in fits)
{
    var seen = fit.Kinds.Select(k => fit.ByKind[k.ToString()]).Aggregate((a, b) => new Rate(a.K + b.K, a.N + b.N));
    md.AppendLine(string.Create(inv, $"| {(left is { } l ? l.ToString() : "none (all five, the shipped recipe)")} | {fit.Threshold:0.0000} | {(left is { } k ? WithInterval(fit.ByKind[k.ToString()]) : "–")} | {WithInterval(seen)} | {WithInterval(fit.Queries)} | {WithInterval(fit.ThresholdHalf)} |"));
}
md.AppendLine();
md.AppendLine("## Real non-place images (the shipped classifier)");
md.AppendLine();
if (real is null)
{
    md.AppendLine($"Not measured: {problems.Count} of {realSet.Images.Count} images are absent or do not match their checksum (first: {problems[0]}); run scripts/fetch-ood-images.sh.");
}
else
{
    md.AppendLine(string.Create(inv, $"The manifest's classifier and threshold ({spec.Threshold:0.0000}), as the service applies them; images from pinned Debian packages (data/ood-real/manifest.csv), none ever seen in training. Per image: real-images.csv."));
    md.AppendLine();
    md.AppendLine("| kind | flagged | median score |");
    md.AppendLine("|---|---:|---:|");
    foreach (var g in real.GroupBy(r => r.Image.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        md.AppendLine(string.Create(inv, $"| {g.Key} | {WithInterval(new Rate(g.Count(r => r.Result.ShippedScore < spec.Threshold), g.Count()))} | {Median(g.Select(r => r.Result.ShippedScore)):0.000} |"));
    md.AppendLine(string.Create(inv, $"| all real images | {WithInterval(new Rate(real.Count(r => r.Result.ShippedScore < spec.Threshold), real.Count))} | {Median(real.Select(r => r.Result.ShippedScore)):0.000} |"));
    md.AppendLine(string.Create(inv, $"| query photos (world, for comparison) | {WithInterval(new Rate(queries.Count(q => q.ShippedScore < spec.Threshold), queries.Count))} | {Median(queries.Select(q => q.ShippedScore)):0.000} |"));
}

Directory.CreateDirectory(outDir);
File.WriteAllText(Path.Combine(outDir, "report.md"), md.ToString());
var json = new
{
    model = manifest.Id,
    topK,
    quantile,
    storePhotos = store.Count,
    fitWorldPhotos = fitHalf.Count,
    thresholdWorldPhotos = thresholdHalf.Count,
    queryPhotos = queries.Count,
    nonPlaceFitPerKind = perKindFit,
    nonPlaceTestPerKind = perKind,
    leaveOneKindOut = fits.Select(f => new
    {
        leftOut = f.Left?.ToString(),
        fittedOn = f.Fit.Kinds.Select(k => k.ToString()).ToArray(),
        threshold = f.Fit.Threshold,
        flaggedByKind = f.Fit.ByKind,
        queryFalseFlags = f.Fit.Queries,
        thresholdHalfFalseFlags = f.Fit.ThresholdHalf,
    }),
    shippedThreshold = spec.Threshold,
    shippedQueryFalseFlags = new Rate(queries.Count(q => q.ShippedScore < spec.Threshold), queries.Count),
    realImages = real is null ? null : real.GroupBy(r => r.Image.Kind).ToDictionary(g => g.Key, g => new Rate(g.Count(r => r.Result.ShippedScore < spec.Threshold), g.Count())),
};
File.WriteAllText(Path.Combine(outDir, "results.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }) + "\n");
if (real is not null)
{
    var csv = new StringBuilder("file,kind,sha256,mean_top_similarity,score,flagged\n");
    foreach (var (image, r) in real)
        csv.AppendLine(string.Create(inv, $"{image.File},{image.Kind},{image.Sha256},{r.MeanSimilarity:R},{r.ShippedScore:R},{(r.ShippedScore < spec.Threshold ? "true" : "false")}"));
    File.WriteAllText(Path.Combine(outDir, "real-images.csv"), csv.ToString());
}
Console.WriteLine(md.ToString());
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static double[] Unit(float[] v)
{
    var norm = Math.Sqrt(v.Sum(x => (double)x * x));
    return v.Select(x => norm > 0 ? x / norm : 0).ToArray();
}

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

/// <summary>One image: the classifier's features, its mean top-K similarity, and the shipped check's score.</summary>
internal sealed record Scored(double[] Features, double MeanSimilarity, double ShippedScore);

/// <summary>K of N flagged.</summary>
internal sealed record Rate(int K, int N);

/// <summary>One refit: the kinds it saw, its threshold, and its flag rates.</summary>
internal sealed record Fit(IReadOnlyList<NonPlaceKind> Kinds, double Threshold, Rate ThresholdHalf, Rate Queries, Dictionary<string, Rate> ByKind);
