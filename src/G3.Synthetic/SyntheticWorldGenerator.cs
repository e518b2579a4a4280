using System.Text.Json;
using G3.Geography;
using G3.Synthetic.Describing;
using G3.Synthetic.Jpeg;
using G3.Synthetic.Rendering;
using G3.Synthetic.World;

namespace G3.Synthetic;

/// <summary>The outcome of a generation run.</summary>
public sealed record SyntheticWorldSummary(string OutputDirectory, int DatabaseCount, int QueryCount, long ImageBytes, TimeSpan Elapsed);

/// <summary>
/// Generates the synthetic MP16-Pro world: a database split and a disjoint query split of
/// rendered JPEG photos at real places, with reverse-geocoded metadata (layout:
/// <see cref="SyntheticWorldLayout"/>). Deterministic: every photo has its own random stream
/// derived from (seed, split, index), so parallel rendering gives the same bytes as serial.
/// Atomic: everything is written to a hidden sibling folder, renamed into place at the end.
/// </summary>
public sealed partial class SyntheticWorldGenerator
{
    private const int DatabaseStream = 1, QueryStream = 2;
    private const string GeneratorVersion = "g3-synth/2";
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private readonly ReverseGeocoder _geocoder;
    private readonly LocationSampler _sampler;
    private readonly Dictionary<string, ArchitectureStyle> _styles = new(StringComparer.Ordinal);
    private readonly ArchitectureStyle _fallbackStyle;

    public SyntheticWorldGenerator(ReverseGeocoder geocoder)
    {
        _geocoder = geocoder;
        _sampler = new LocationSampler(geocoder);
        foreach (var (code, country) in geocoder.Data.Countries) _styles[code] = ArchitectureStyle.For(country.Centroid, code);
        _fallbackStyle = ArchitectureStyle.For(new G3.Core.Geo.GeoPoint(0, 0), "??");
    }

    /// <param name="progress">Receives (photos done, photos total) now and then.</param>
    public SyntheticWorldSummary Generate(string outputDirectory, SyntheticWorldOptions options,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var target = Path.GetFullPath(outputDirectory);
        if (File.Exists(target) || Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new SyntheticWorldException($"output folder {target} already exists and is not empty; choose another --out or delete it");
        var parent = Path.GetDirectoryName(target) ?? throw new SyntheticWorldException($"cannot write to {target}");
        var started = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, "." + Path.GetFileName(target) + ".partial-" + Environment.ProcessId);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            Directory.CreateDirectory(SyntheticWorldLayout.DatabaseImages(staging));
            Directory.CreateDirectory(SyntheticWorldLayout.QueryImages(staging));
            var total = options.DatabaseCount + options.QueryCount;
            var done = 0;
            long bytes = 0;
            void Tick(long b)
            {
                Interlocked.Add(ref bytes, b);
                var d = Interlocked.Increment(ref done);
                if (d % 100 == 0 || d == total) progress?.Report((d, total));
            }
            var database = GenerateSplit(DatabaseStream, options.DatabaseCount, "db_", 7, SyntheticWorldLayout.DatabaseImages(staging), options, Tick, cancellationToken);
            var queries = GenerateSplit(QueryStream, options.QueryCount, "q_", 6, SyntheticWorldLayout.QueryImages(staging), options, Tick, cancellationToken);
            MetadataCsv.WriteMp16Pro(SyntheticWorldLayout.DatabaseMetadata(staging), database);
            MetadataCsv.WriteIm2Gps3k(SyntheticWorldLayout.QueryMetadata(staging), queries);
            MetadataCsv.WriteLandmarks(SyntheticWorldLayout.Landmarks(staging), database.Concat(queries));
            WriteManifest(staging, options);
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(target)) Directory.Delete(target); // empty, checked above
            Directory.Move(staging, target);
            return new SyntheticWorldSummary(target, database.Length, queries.Length, bytes, started.Elapsed);
        }
        catch
        {
            try { Directory.Delete(staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Samples, renders and encodes one photo: the unit every split is made of (also used by tests and the contact sheet).</summary>
    public PhotoRecord RenderPhoto(long seed, int stream, int index, string imageId, SyntheticWorldOptions options, Canvas canvas, JpegEncoder encoder, out byte[] jpeg)
    {
        var rgb = RenderPhotoRgb(seed, stream, index, imageId, options, canvas, out var record, out var quality);
        jpeg = encoder.Encode(rgb, canvas.Size, canvas.Size, quality);
        return record;
    }

    /// <summary>Samples and renders one photo to 8-bit RGB (before JPEG encoding).</summary>
    public byte[] RenderPhotoRgb(long seed, int stream, int index, string imageId, SyntheticWorldOptions options, Canvas canvas, out PhotoRecord record) =>
        RenderPhotoRgb(seed, stream, index, imageId, options, canvas, out record, out _);

    private byte[] RenderPhotoRgb(long seed, int stream, int index, string imageId, SyntheticWorldOptions options, Canvas canvas, out PhotoRecord record, out int quality)
    {
        var rng = SplitMix.Derive(seed, stream, index);
        var scene = SampleScene(ref rng, imageId, options, out record);
        SceneRenderer.Render(canvas, scene, ref rng);
        var rgb = new byte[canvas.Size * canvas.Size * 3];
        canvas.ToRgb24(rgb, rng.Range(1.5, 9), ref rng);
        quality = (int)Math.Round(rng.Range(55, 93));
        return rgb;
    }

    /// <summary>
    /// The photo's record and a text description of the place and of what the photo shows
    /// (<see cref="PlaceDescriber"/>), without rendering it. The scene is sampled from the photo's own
    /// stream exactly as for rendering; the description's wording comes from a separate stream, so
    /// describing never changes a photo or its metadata.
    /// </summary>
    public (PhotoRecord Record, string Description) DescribePhoto(long seed, int stream, int index, string imageId, SyntheticWorldOptions options)
    {
        var rng = SplitMix.Derive(seed, stream, index);
        var scene = SampleScene(ref rng, imageId, options, out var record);
        var wording = SplitMix.Derive(seed, DescriptionStreamOffset + stream, index);
        return (record, PlaceDescriber.Describe(record, scene, ref wording));
    }

    /// <summary>Added to a split's stream number for the description's wording stream.</summary>
    private const int DescriptionStreamOffset = 1000;

    /// <summary>Draws where the photo is taken and what it shows; <paramref name="rng"/> continues into the renderer.</summary>
    private PhotoScene SampleScene(ref SplitMix rng, string imageId, SyntheticWorldOptions options, out PhotoRecord record)
    {
        var sample = _sampler.Next(ref rng, options.RuralFraction, options.AllowOcean);
        var indoor = rng.Chance(options.IndoorFraction);
        var showLandmark = !indoor && sample.NearBigCity && rng.Chance(options.LandmarkFraction);
        LandmarkSite? site = null;
        var closeness = 0.0;
        if (showLandmark)
        {
            // The photo is taken at one of the city's landmarks: moved next to it.
            var sites = _sampler.SitesOf(sample.Origin);
            site = sites[rng.NextInt(sites.Count)];
            (sample, closeness) = _sampler.AtLandmark(ref rng, site);
        }
        return SceneAt(ref rng, sample, site, closeness, indoor, imageId, out record);
    }

    /// <summary>Draws what stands at <paramref name="sample"/> (the landmark <paramref name="site"/> when given) with the next draws of the photo's random stream.</summary>
    private PhotoScene SceneAt(ref SplitMix rng, LocationSampler.Sample sample, LandmarkSite? site, double closeness, bool indoor, string imageId,
        out PhotoRecord record)
    {
        var lookup = sample.Lookup;
        var climate = ClimateStyle.For(sample.Point.Latitude, sample.Point.Longitude,
            lookup.Place.Continent ?? _geocoder.Data.Countries.GetValueOrDefault(sample.Origin.CountryCode)?.Continent);
        var style = _styles.GetValueOrDefault(lookup.CountryCode ?? sample.Origin.CountryCode) ?? _fallbackStyle;
        var urban = sample.Rural ? rng.Range(0, 0.3) : Math.Clamp(0.4 + 0.15 * Math.Log10(Math.Max(sample.Origin.Population, 1000) / 1000.0) + rng.Range(-0.2, 0.2), 0.2, 1);
        var city = CityStyle.For(sample.Origin.Location, sample.Origin.GeoNameId);
        record = new PhotoRecord(imageId, sample.Point.Latitude, sample.Point.Longitude, lookup.Place, lookup.Ocean,
            site?.City.Name, indoor, site?.Id);
        return new PhotoScene(climate, style, city, site is null ? null : Landmark.ForSite(site.City.GeoNameId, site.Index), closeness, urban, indoor);
    }

    /// <summary>Draws and renders what stands at <paramref name="sample"/> with the rest of the photo's random stream (a multi-view photo).</summary>
    private byte[] RenderScene(ref SplitMix rng, LocationSampler.Sample sample, LandmarkSite? site, double closeness, bool indoor, string imageId, Canvas canvas,
        out PhotoRecord record, out int quality)
    {
        var scene = SceneAt(ref rng, sample, site, closeness, indoor, imageId, out record);
        SceneRenderer.Render(canvas, scene, ref rng);
        var rgb = new byte[canvas.Size * canvas.Size * 3];
        canvas.ToRgb24(rgb, rng.Range(1.5, 9), ref rng);
        quality = (int)Math.Round(rng.Range(55, 93));
        return rgb;
    }

    private PhotoRecord[] GenerateSplit(int stream, int count, string prefix, int digits, string imagesDir,
        SyntheticWorldOptions options, Action<long> tick, CancellationToken ct)
    {
        var records = new PhotoRecord[count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct };
        Parallel.For(0, count, parallel,
            () => (Canvas: new Canvas(options.ImageSize), Encoder: new JpegEncoder()),
            (i, _, local) =>
            {
                var id = prefix + i.ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture) + ".jpg";
                records[i] = RenderPhoto(options.Seed, stream, i, id, options, local.Canvas, local.Encoder, out var jpeg);
                File.WriteAllBytes(Path.Combine(imagesDir, id), jpeg);
                tick(jpeg.Length);
                return local;
            },
            local => local.Encoder.Dispose());
        return records;
    }

    private static void WriteManifest(string root, SyntheticWorldOptions o)
    {
        var manifest = new
        {
            generator = GeneratorVersion,
            seed = o.Seed,
            database = new { count = o.DatabaseCount, metadata = $"{SyntheticWorldLayout.DatabaseDir}/{SyntheticWorldLayout.MetadataFile}", images = $"{SyntheticWorldLayout.DatabaseDir}/{SyntheticWorldLayout.ImagesDir}/", schema = "MP16-Pro" },
            queries = new { count = o.QueryCount, metadata = $"{SyntheticWorldLayout.QueryDir}/{SyntheticWorldLayout.MetadataFile}", images = $"{SyntheticWorldLayout.QueryDir}/{SyntheticWorldLayout.ImagesDir}/", schema = "IM2GPS3K" },
            imageSize = o.ImageSize,
            ruralFraction = o.RuralFraction,
            indoorFraction = o.IndoorFraction,
            landmarkFraction = o.LandmarkFraction,
            allowOcean = o.AllowOcean,
        };
        File.WriteAllText(Path.Combine(root, SyntheticWorldLayout.ManifestFile),
            JsonSerializer.Serialize(manifest, IndentedJson) + "\n");
    }
}
