using System.Numerics.Tensors;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Verification.Scoring;

/// <summary>
/// G3's geo-verification: every candidate is encoded by the location encoder in one batched run and
/// scored by sim = e_gps^image · e_gps(candidate); the argmax answers. Confidence is the softmax mass
/// (at the model's logit scale) of the candidates within <see cref="VerifierOptions.ConfidenceRadiusKm"/>
/// of the winner: high when the verifier's belief is concentrated around one place. With a
/// calibration (fitted on held-out photos, stored in the model manifest) that mass is mapped to the
/// probability that the answer is within the radius of the truth.
/// </summary>
public sealed class GeoVerifier : IVerifier
{
    private readonly ILocationEncoder _encoder;
    private readonly VerifierOptions _options;

    public GeoVerifier(ILocationEncoder encoder, VerifierOptions options)
    {
        options.EnsureValid();
        _encoder = encoder;
        _options = options;
    }

    public async Task<Verdict> VerifyAsync(ImageEmbedding image, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
            return new Verdict([]);
        if (candidates.Any(c => c.Point is null))
            throw new ArgumentException("every candidate given to the verifier must have a point", nameof(candidates));
        if (image.Gps.Length != _encoder.Dimension)
            throw new ArgumentException(
                $"the image's GPS embedding has {image.Gps.Length} dimensions but the location encoder produces {_encoder.Dimension}; " +
                "the image and location models must come from the same manifest", nameof(image));

        var points = candidates.Select(c => c.Point!.Value).ToList();
        var embeddings = await _encoder.EncodeAsync(points, cancellationToken).ConfigureAwait(false);
        var scores = Score(image.Gps, embeddings);

        // Stable order: equal scores keep the candidates' given order (LMM answers first).
        var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToList();
        var ranked = order.Select((i, rank) => new ScoredCandidate(candidates[i], scores[i], rank)).ToList();
        var winner = points[order[0]];
        return new Verdict(ranked, Confidence(scores, points, winner), Agreement.Around(winner, ranked),
            Probabilities(scores, order));
    }

    /// <summary>Each candidate's softmax probability at the model's logit scale, in ranked order (the answers per level sum these).</summary>
    private double[] Probabilities(double[] scores, List<int> order)
    {
        var max = scores.Max();
        var weights = order.Select(i => Math.Exp(_options.LogitScale * (scores[i] - max))).ToArray();
        var total = weights.Sum();
        for (var i = 0; i < weights.Length; i++) weights[i] /= total;
        return weights;
    }

    private double[] Score(float[] query, EmbeddingMatrix embeddings)
    {
        var scores = new double[embeddings.Rows];
        var queryNorm = _options.Metric == SimilarityMetric.Cosine ? TensorPrimitives.Norm(query) : 1f;
        for (var i = 0; i < embeddings.Rows; i++)
        {
            var row = embeddings.Row(i);
            var dot = TensorPrimitives.Dot(query, row);
            if (_options.Metric == SimilarityMetric.Cosine)
            {
                var denominator = queryNorm * TensorPrimitives.Norm(row);
                dot = denominator > 0 ? dot / denominator : 0;
            }
            scores[i] = dot;
        }
        return scores;
    }

    private double Confidence(double[] scores, List<GeoPoint> points, GeoPoint winner)
    {
        // Softmax with the max subtracted, so large logit scales cannot overflow.
        var max = scores.Max();
        double total = 0, near = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var w = Math.Exp(_options.LogitScale * (scores[i] - max));
            total += w;
            if (GreatCircle.DistanceKm(points[i], winner) <= _options.ConfidenceRadiusKm) near += w;
        }
        var mass = near / total;
        return _options.Calibration is { } calibration ? calibration.Apply(mass) : mass;
    }
}
