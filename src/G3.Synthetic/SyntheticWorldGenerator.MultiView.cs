using System.Globalization;
using System.Text;
using System.Text.Json;
using G3.Synthetic.Jpeg;
using G3.Synthetic.Rendering;
using G3.Synthetic.World;

namespace G3.Synthetic;

/// <summary>
/// The multi-view query split (<see cref="SyntheticWorldLayout.MultiViewDir"/>): several photos of one landmark, as
/// PIGEON's four-view panoramas are several views of one spot. Places and photos have their own random streams
/// (3 and 4), so adding the split changes none of the database or query photos of the same seed, and its photos are
/// new renders, held out from the database. Each place is a landmark of a big city; each photo stands 50–350 m from
/// it, with its own framing, light and street scene.
/// </summary>
public sealed partial class SyntheticWorldGenerator
{
    private const int MultiViewPlaceStream = 3, MultiViewPhotoStream = 4;

    /// <summary>Renders the split into <c>multiview/</c> under <paramref name="worldDirectory"/> (which must not have one yet).</summary>
    public IReadOnlyList<MultiViewPlace> GenerateMultiView(string worldDirectory, long seed, int imageSize, MultiViewOptions options,
        int parallelism = 0, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var target = SyntheticWorldLayout.MultiView(worldDirectory);
        if (Directory.Exists(target))
            throw new SyntheticWorldException($"{target} already exists; delete it to generate the multi-view split again");
        var staging = target + ".partial-" + Environment.ProcessId;
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        var images = Path.Combine(staging, SyntheticWorldLayout.ImagesDir);
        Directory.CreateDirectory(images);
        try
        {
            var worldOptions = new SyntheticWorldOptions { Seed = seed, ImageSize = imageSize };
            var places = new MultiViewPlace[options.Places];
            var total = options.Places * options.Views;
            var done = 0;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount, CancellationToken = cancellationToken };
            Parallel.For(0, options.Places, parallel,
                () => (Canvas: new Canvas(imageSize), Encoder: new JpegEncoder()),
                (g, _, local) =>
                {
                    places[g] = RenderPlace(seed, g, options.Views, worldOptions, local.Canvas, local.Encoder, images);
                    var d = Interlocked.Add(ref done, options.Views);
                    if (d % 100 < options.Views || d == total) progress?.Report((d, total));
                    return local;
                },
                local => local.Encoder.Dispose());
            WriteMultiViewMetadata(staging, places);
            cancellationToken.ThrowIfCancellationRequested();
            Directory.Move(staging, target);
            return places;
        }
        catch
        {
            try { Directory.Delete(staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>One place: a landmark drawn from its own stream, then each view from its own stream.</summary>
    private MultiViewPlace RenderPlace(long seed, int place, int views, SyntheticWorldOptions options, Canvas canvas, JpegEncoder encoder, string imagesDir)
    {
        var rng = SplitMix.Derive(seed, MultiViewPlaceStream, place);
        LandmarkSite? site = null;
        // Photo positions as the query split draws them, until one falls in a city with landmarks.
        for (var attempt = 0; site is null; attempt++)
        {
            if (attempt > 10_000) throw new SyntheticWorldException("no city with landmarks was found for the multi-view split");
            var origin = _sampler.Next(ref rng, 0, false).Origin;
            var sites = _sampler.SitesOf(origin);
            if (sites.Count > 0) site = sites[rng.NextInt(sites.Count)];
        }
        var placeId = "mv_" + place.ToString("D5", CultureInfo.InvariantCulture);
        var photos = new PhotoRecord[views];
        for (var v = 0; v < views; v++)
        {
            var view = SplitMix.Derive(seed, MultiViewPhotoStream, (long)place * MultiViewOptions.MaxViews + v);
            var (sample, closeness) = _sampler.AtLandmark(ref view, site);
            var id = $"{placeId}_{v}.jpg";
            var rgb = RenderScene(ref view, sample, site, closeness, indoor: false, id, canvas, out photos[v], out var quality);
            File.WriteAllBytes(Path.Combine(imagesDir, id), encoder.Encode(rgb, canvas.Size, canvas.Size, quality));
        }
        return new MultiViewPlace(placeId, site.Location.Latitude, site.Location.Longitude, site.Id, site.City.Name, photos);
    }

    private static void WriteMultiViewMetadata(string dir, IReadOnlyList<MultiViewPlace> places)
    {
        // metadata.csv in IM2GPS3K's columns (a place by its first photo, at its landmark), so the split also serves as a
        // plain single-photo query set; views.csv lists every photo of each place.
        var inv = CultureInfo.InvariantCulture;
        var metadata = new StringBuilder("IMG_ID,LAT,LON\n");
        var views = new StringBuilder("IMG_ID,VIEWS,landmark\n");
        foreach (var p in places)
        {
            metadata.Append(inv, $"{p.Views[0].ImageId},{p.Latitude:F6},{p.Longitude:F6}\n");
            views.Append(inv, $"{p.Views[0].ImageId},{string.Join(';', p.Views.Select(v => v.ImageId))},{p.LandmarkId}\n");
        }
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        File.WriteAllText(Path.Combine(dir, SyntheticWorldLayout.MetadataFile), metadata.ToString(), utf8);
        File.WriteAllText(Path.Combine(dir, SyntheticWorldLayout.ViewsFile), views.ToString(), utf8);
        File.WriteAllText(Path.Combine(dir, "multiview.json"), JsonSerializer.Serialize(new
        {
            places = places.Count,
            views = places.Count == 0 ? 0 : places[0].Views.Count,
            streams = new { places = MultiViewPlaceStream, photos = MultiViewPhotoStream },
        }, IndentedJson) + "\n", utf8);
    }
}
