using G3.Core.Geo;

namespace G3.Alignment.Models;

/// <summary>
/// The JSON spellings of one manifest enum. A record keeps the spelling its JSON gave and reads the value
/// through <see cref="Parse"/>; <see cref="ModelManifestValidator"/> checks the spelling with
/// <see cref="TryParse"/> first, so a loaded manifest never fails to parse.
/// </summary>
/// <param name="whenAbsent">The value a missing name means; null: the name is required.</param>
/// <param name="lenient">Whether surrounding spaces and letter case are ignored (the older fields accept them).</param>
internal sealed class ManifestNames<T>(T? whenAbsent, bool lenient, params (string Name, T Value)[] names) where T : struct, Enum
{
    public bool TryParse(string? name, out T value)
    {
        var comparison = lenient ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var found = name is null
            ? whenAbsent
            : names.Where(n => string.Equals(n.Name, lenient ? name.Trim() : name, comparison)).Select(n => (T?)n.Value).FirstOrDefault();
        value = found ?? default;
        return found is not null;
    }

    public T Parse(string? name) => TryParse(name, out var value)
        ? value
        : throw new InvalidOperationException($"'{name}' is not a {typeof(T).Name}; the manifest was not validated");
}

/// <summary>The name tables of the enums the manifest spells out.</summary>
internal static class ManifestNames
{
    public static readonly ManifestNames<VerificationMetric> Metric =
        new(VerificationMetric.Cosine, lenient: true, ("cosine", VerificationMetric.Cosine), ("dot", VerificationMetric.Dot));
    public static readonly ManifestNames<ModelPrecision> Precision =
        new(ModelPrecision.Float32, lenient: false, ("float32", ModelPrecision.Float32), ("float16", ModelPrecision.Float16));
    public static readonly ManifestNames<ResizeMode> Resize =
        new(ResizeMode.ShortestSideBicubic, lenient: false, ("shortest-side-bicubic", ResizeMode.ShortestSideBicubic));
    public static readonly ManifestNames<CropMode> Crop = new(CropMode.Center, lenient: false, ("center", CropMode.Center));
    public static readonly ManifestNames<LocationProjection> Projection = new(null, lenient: false,
        ("mercator", LocationProjection.Mercator), ("equal-earth", LocationProjection.EqualEarth), ("none", LocationProjection.None));
    public static readonly ManifestNames<OutOfDistributionScore> OutOfDistribution = new(null, lenient: true,
        ("mean-top-k-similarity", OutOfDistributionScore.MeanTopKSimilarity), ("logistic", OutOfDistributionScore.Logistic));
}
