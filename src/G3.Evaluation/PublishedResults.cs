namespace G3.Evaluation;

/// <summary>A row of a published table: % within 1/25/200/750/2500 km.</summary>
public sealed record PublishedRow(string Method, IReadOnlyList<double> AccuracyPercent);

/// <summary>
/// The G3 paper's published results (NeurIPS 2024, Tables 1, 2 and 4), printed beside ours when an
/// experiment runs on the same benchmark.
/// </summary>
public static class PublishedResults
{
    public static IReadOnlyList<PublishedRow>? For(string dataset) => dataset.Trim().ToUpperInvariant() switch
    {
        "IM2GPS3K" => Im2Gps3k,
        "YFCC4K" => Yfcc4k,
        _ => null,
    };

    public static IReadOnlyList<PublishedRow> Im2Gps3k { get; } =
    [
        new("GeoCLIP (paper)", [14.11, 34.47, 50.65, 69.67, 83.82]),
        new("Img2Loc GPT-4V (paper)", [15.34, 39.83, 53.59, 69.70, 82.78]),
        new("G3 GPT-4V (paper)", [16.65, 40.94, 55.56, 71.24, 84.68]),
        new("G3 w/o Geo-A (paper)", [15.71, 40.64, 54.85, 70.80, 84.05]),
        new("G3 w/o Geo-D (paper)", [16.35, 40.51, 53.89, 69.20, 83.11]),
        new("G3 w/o Geo-V (paper)", [14.98, 38.27, 51.25, 67.60, 81.18]),
        new("G3 LLaVA (paper)", [14.31, 35.87, 49.42, 66.93, 81.78]),
    ];

    public static IReadOnlyList<PublishedRow> Yfcc4k { get; } =
    [
        new("GeoCLIP (paper)", [9.59, 19.31, 32.63, 55.00, 74.69]),
        new("Img2Loc GPT-4V (paper)", [19.78, 30.71, 41.40, 58.11, 74.07]),
        new("G3 GPT-4V (paper)", [23.99, 35.89, 46.98, 64.26, 78.15]),
        new("G3 w/o Geo-A (paper)", [20.80, 32.72, 44.25, 61.83, 76.64]),
        new("G3 w/o Geo-D (paper)", [20.28, 31.87, 43.67, 60.84, 76.25]),
        new("G3 w/o Geo-V (paper)", [19.03, 30.24, 40.93, 57.93, 72.83]),
    ];
}
