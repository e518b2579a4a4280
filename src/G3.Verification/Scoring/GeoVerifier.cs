using System.Numerics.Tensors;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Verification.Scoring;

/// <summary>
/// G3's geo-verification: every candidate is encoded by the location encoder in one batched run and
/// scored by sim = e_gps^image · e_gps(candidate). Without <see cref="VerifierOptions.Consensus"/> the
/// argmax answers (the paper); with it, <see cref="ConsensusDecision"/> weighs those scores with the
/// retrieved photos' evidence and ranks by it. Confidence is the probability mass (the softmax at the
/// model's logit scale, or the consensus posterior) of the candidates within
/// <see cref="VerifierOptions.ConfidenceRadiusKm"/> of the winner: high when the belief is concentrated
/// around one place. With a calibration (fitted on held-out photos, stored in the model manifest) that
/// mass is mapped to the probability that the answer is within the radius of the truth.
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

        // The ranking key and each candidate's probability: G3's score and its softmax, or the consensus.
        double[] key, probability;
        if (_options.Consensus is { } consensus)
        {
            var decision = ConsensusDecision.Decide(scores, points, candidates.Select(c => c.Similarity).ToList(), consensus);
            (key, probability) = (decision.Score, decision.Posterior);
        }
        else
            (key, probability) = (scores, ConsensusDecision.Softmax(scores, _options.LogitScale));

        // Stable order: equal keys keep the candidates' given order (LMM answers first). The score shown stays G3's similarity.
        var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => key[i]).ThenBy(i => i).ToList();
        var ranked = order.Select((i, rank) => new ScoredCandidate(candidates[i], scores[i], rank)).ToList();
        var winner = points[order[0]];
        return new Verdict(ranked, Confidence(probability, points, winner), Agreement.Around(winner, ranked),
            order.Select(i => probability[i]).ToArray());
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

    private double Confidence(double[] probability, List<GeoPoint> points, GeoPoint winner)
    {
        double mass = 0;
        for (var i = 0; i < probability.Length; i++)
            if (GreatCircle.DistanceKm(points[i], winner) <= _options.ConfidenceRadiusKm) mass += probability[i];
        mass = Math.Clamp(mass, 0, 1);
        return _options.Calibration is { } calibration ? calibration.Apply(mass) : mass;
    }
}
