using BenchmarkDotNet.Attributes;
using G3.Alignment.Onnx;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using G3.Verification.Scoring;

namespace G3.Bench;

/// <summary>
/// Geo-verification of one request: m candidates encoded by a GeoCLIP-sized location encoder
/// (3 scales × 512→1024→1024→1024→512, random weights from tools/onnx/make_bench_models.py) in one
/// batched run, scored against the image's GPS embedding, ranked, with confidence and agreement.
/// Threads: G3_BENCH_THREADS (default 1).
/// </summary>
[MemoryDiagnoser]
public class VerifierBenchmarks
{
    private OnnxLocationEncoder? _encoder;
    private GeoVerifier? _verifier;
    private Candidate[] _candidates = [];
    private ImageEmbedding? _image;

    [Params(40)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var manifest = BenchPaths.Require("bench/artifacts/geoclip-location/manifest.json",
            "run /usr/bin/python3 tools/onnx/make_bench_models.py first");
        _encoder = OnnxLocationEncoder.Open(manifest, BenchPaths.SessionOptions());
        _verifier = new GeoVerifier(_encoder, new VerifierOptions(SimilarityMetric.Cosine, 100));
        var random = new Random(7);
        _candidates = Enumerable.Range(0, Candidates)
            .Select(i => Candidate.FromLmm(new PromptVariant(i % 4, 0), i, new GeoPoint(random.NextDouble() * 170 - 85, random.NextDouble() * 360 - 180), "x"))
            .ToArray();
        var gps = Enumerable.Range(0, _encoder.Dimension).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _image = new ImageEmbedding([1f], gps);
    }

    [Benchmark]
    public async Task<double?> VerifyCandidates() => (await _verifier!.VerifyAsync(_image!, _candidates, CancellationToken.None)).Confidence;

    [GlobalCleanup]
    public void Cleanup() => _encoder?.Dispose();
}
