using G3.Core.Ports;
using G3.Verification.Scoring;

namespace G3.Verification.Selectors;

/// <summary>
/// The one list of selectors: the rules that choose the answer among the candidates, by name. The service's
/// <c>Pipeline:Selector</c> and an experiment configuration's <c>"selector"</c> both name one of these.
/// </summary>
public static class SelectorCatalog
{
    /// <summary>The model manifest's consensus decision and calibrations (G3's scores weighed by the retrieval evidence); plain argmax with calibration when the manifest has no consensus.</summary>
    public const string Consensus = "consensus";

    /// <summary>G3's rule: the argmax of the image-to-GPS similarity, raw (uncalibrated) confidences.</summary>
    public const string Argmax = "argmax";

    /// <summary>The paper's "w/o Geo-V" baseline: the first candidate that parsed.</summary>
    public const string FirstValid = "first-valid";

    /// <summary>Baseline: the candidate with the least summed distance to the others.</summary>
    public const string Medoid = "medoid";

    /// <summary>Baseline: the centre of the largest cluster of candidates.</summary>
    public const string LargestCluster = "largest-cluster";

    /// <summary>Every selector, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Consensus, Argmax, FirstValid, Medoid, LargestCluster];

    /// <summary>The selectors the service may answer with: those that give a probability per candidate.</summary>
    public static IReadOnlyList<string> ServiceNames { get; } = [Consensus, Argmax];

    /// <summary>The catalog's spelling of <paramref name="name"/> (case and spaces ignored), or null when it names no selector.</summary>
    public static string? Find(string? name) =>
        Names.FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Why <paramref name="name"/> is refused, naming the choices among <paramref name="allowed"/> (default: all).</summary>
    public static string Unknown(string? name, IReadOnlyList<string>? allowed = null) =>
        $"selector '{name}' is unknown: use {string.Join(", ", (allowed ?? Names).SkipLast(1))} or {(allowed ?? Names)[^1]}";

    /// <summary>The selector named <paramref name="name"/>, over the model's location encoder and verifier settings.</summary>
    /// <exception cref="ArgumentException">The name is not in the catalog.</exception>
    public static IVerifier Create(string name, ILocationEncoder encoder, VerifierOptions model) => Find(name) switch
    {
        Consensus => new GeoVerifier(encoder, model),
        Argmax => new GeoVerifier(encoder, ArgmaxOptions(model)),
        FirstValid => new FirstValidSelector(),
        Medoid => new MedoidSelector(),
        LargestCluster => new LargestClusterSelector(),
        _ => throw new ArgumentException(Unknown(name), nameof(name)),
    };

    /// <summary>G3's plain argmax over the model's settings: no consensus and no calibration (the manifest's calibrations were fitted for its consensus decision).</summary>
    public static VerifierOptions ArgmaxOptions(VerifierOptions model) => model with { Consensus = null, Calibration = null };

    /// <summary>True when the selector's probabilities are the manifest's calibrated ones (the per-level maps apply to them).</summary>
    public static bool IsCalibrated(string name) => Find(name) == Consensus;
}
