using System.Security.Cryptography;

namespace G3.Evaluation.OutOfDistribution;

/// <summary>One real non-place image: its file name, what it shows, its SHA-256 and where it comes from.</summary>
public sealed record RealImage(string File, string Kind, string Sha256, string Package, string Version, string PackagePath, string Licence);

/// <summary>
/// The real non-place images of data/ood-real (icons, screenshots, document scans, photographs out of Debian
/// packages; scripts/fetch-ood-images.sh): the committed manifest, and the images themselves once fetched.
/// </summary>
public sealed class RealImageSet
{
    private const string Header = "file,kind,sha256,package,version,path,licence";

    private RealImageSet(string directory, IReadOnlyList<RealImage> images)
    {
        ImageDirectory = directory;
        Images = images;
    }

    public string ImageDirectory { get; }
    public IReadOnlyList<RealImage> Images { get; }

    /// <summary>Reads the manifest; the images are expected in "images/" beside it.</summary>
    public static RealImageSet Load(string manifestPath)
    {
        var lines = System.IO.File.ReadAllLines(manifestPath);
        if (lines.Length == 0 || lines[0] != Header) throw new InvalidDataException($"{manifestPath}: the first line must be '{Header}'");
        var images = new List<RealImage>();
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length != 7 || f.Any(string.IsNullOrWhiteSpace) || f[2].Length != 64)
                throw new InvalidDataException($"{manifestPath} line {i + 1}: expected 7 non-empty fields with a 64-digit SHA-256");
            images.Add(new RealImage(f[0], f[1], f[2], f[3], f[4], f[5], f[6]));
        }
        var duplicate = images.GroupBy(x => x.File, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"{manifestPath}: '{duplicate.Key}' is listed twice");
        return new RealImageSet(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, "images"), images);
    }

    public string PathOf(RealImage image) => Path.Combine(ImageDirectory, image.File);

    /// <summary>The images that are absent or whose bytes do not match their SHA-256 (empty when the set is complete).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var image in Images)
        {
            var path = PathOf(image);
            if (!System.IO.File.Exists(path)) { problems.Add($"{image.File}: absent"); continue; }
            var sha = Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(path)));
            if (sha != image.Sha256) problems.Add($"{image.File}: sha256 {sha}, expected {image.Sha256}");
        }
        return problems;
    }
}
