namespace G3.Verification.OutOfDistribution;

/// <summary>
/// Fits the weights of <see cref="EmbeddingOutOfDistributionCheck"/>: L2-regularised logistic regression by
/// full-batch gradient descent on standardised features, classes weighted to count equally, with the
/// standardisation folded back into the weights so that the check applies them to raw features.
/// A few hundred features and a few thousand photos, fitted once offline (tools/train/Calibrate.cs):
/// plain gradient descent is enough, and keeps the model-fitting tool free of an ML framework.
/// </summary>
public static class LogisticFit
{
    public static (double[] Weights, double Bias) Fit(
        IReadOnlyList<double[]> positives, IReadOnlyList<double[]> negatives, double l2 = 1e-2, int iterations = 3000, double learningRate = 0.5)
    {
        if (positives.Count == 0 || negatives.Count == 0) throw new ArgumentException("both classes need examples");
        var dim = positives[0].Length;
        if (positives.Concat(negatives).Any(x => x.Length != dim)) throw new ArgumentException("every example needs the same number of features");

        var rows = positives.Concat(negatives).ToList();
        var labels = positives.Select(_ => 1.0).Concat(negatives.Select(_ => 0.0)).ToArray();
        var classWeight = labels.Select(y => y == 1 ? rows.Count / (2.0 * positives.Count) : rows.Count / (2.0 * negatives.Count)).ToArray();
        var mean = new double[dim];
        var std = new double[dim];
        for (var j = 0; j < dim; j++)
        {
            mean[j] = rows.Average(r => r[j]);
            std[j] = Math.Sqrt(rows.Average(r => (r[j] - mean[j]) * (r[j] - mean[j]))) + 1e-6;
        }
        var z = rows.Select(r => r.Select((x, j) => (x - mean[j]) / std[j]).ToArray()).ToArray();

        var w = new double[dim];
        double b = 0;
        var gradient = new double[dim];
        for (var it = 0; it < iterations; it++)
        {
            Array.Clear(gradient);
            double gradientBias = 0;
            for (var i = 0; i < z.Length; i++)
            {
                double logit = b;
                for (var j = 0; j < dim; j++) logit += w[j] * z[i][j];
                var error = (1 / (1 + Math.Exp(-logit)) - labels[i]) * classWeight[i];
                for (var j = 0; j < dim; j++) gradient[j] += error * z[i][j];
                gradientBias += error;
            }
            for (var j = 0; j < dim; j++) w[j] -= learningRate * (gradient[j] / z.Length + l2 * w[j]);
            b -= learningRate * gradientBias / z.Length;
        }

        // w·((x − μ)/σ) + b  =  (w/σ)·x + (b − Σ w μ/σ)
        var weights = w.Select((x, j) => x / std[j]).ToArray();
        var bias = b - w.Select((x, j) => x * mean[j] / std[j]).Sum();
        return (weights, bias);
    }
}
