using G3.Core.Geo;
using G3.Synthetic.Jpeg;
using G3.Synthetic.Rendering;
using G3.Synthetic.World;

namespace G3.Synthetic.Tests;

public sealed class LandmarkWorldTests
{
    private static G3.Geography.City Biggest(string name) =>
        SharedWorld.Geocoder.Data.Cities.Where(c => c.Name == name).MaxBy(c => c.Population)!;

    [FactRequiringWorld]
    public void Big_cities_have_several_fixed_landmark_sites_on_land_within_the_city()
    {
        var tokyo = Biggest("Tokyo");
        var sites = LandmarkSite.For(tokyo, SharedWorld.Geocoder);

        Assert.Equal(LandmarkSite.CountFor(tokyo.Population), sites.Count);
        Assert.InRange(sites.Count, 2, 4);
        Assert.Equal(sites, LandmarkSite.For(tokyo, SharedWorld.Geocoder)); // fixed by the city, not the seed
        Assert.Equal(sites.Count, sites.Select(s => s.Location).Distinct().Count());
        foreach (var s in sites)
        {
            Assert.False(SharedWorld.Geocoder.Lookup(s.Location).IsOcean);
            Assert.True(GreatCircle.DistanceKm(s.Location, tokyo.Location) <= LocationSampler.CityRadiusKm(tokyo.Population) * 0.6 + 0.01);
        }
        Assert.Equal(0, LandmarkSite.CountFor(999_999));
        Assert.Equal(1, LandmarkSite.CountFor(1_500_000));
    }

    [FactRequiringWorld]
    public void Photos_of_one_landmark_are_taken_within_a_kilometre_of_each_other()
    {
        var sampler = new LocationSampler(SharedWorld.Geocoder);
        var site = LandmarkSite.For(Biggest("London"), SharedWorld.Geocoder)[0];
        var spots = new List<GeoPoint>();
        for (var i = 0; i < 30; i++)
        {
            var rng = SplitMix.Derive(3, 9, i);
            var (sample, closeness) = sampler.AtLandmark(ref rng, site);
            Assert.InRange(closeness, 0, 1);
            Assert.InRange(GreatCircle.DistanceKm(sample.Point, site.Location), 0.04, 0.36);
            spots.Add(sample.Point);
        }
        Assert.All(spots, a => Assert.All(spots, b => Assert.True(GreatCircle.DistanceKm(a, b) < 0.75)));
        Assert.True(spots.Distinct().Count() > 25, "the photographer's spot must vary");
    }

    [Fact]
    public void Landmarks_of_one_city_differ_and_repeat_exactly()
    {
        Assert.Equal(Landmark.ForSite(1850147, 1), Landmark.ForSite(1850147, 1));
        Assert.NotEqual(Landmark.ForSite(1850147, 0), Landmark.ForSite(1850147, 1));
        Assert.Equal(Landmark.ForCity(1850147), Landmark.ForSite(1850147, 0));
    }

    [Fact]
    public void Cities_of_one_region_share_street_colours_more_than_distant_ones()
    {
        // Lyon and Villeurbanne (adjacent), against Lyon and Lille (560 km) and Lyon and Osaka.
        var lyon = CityStyle.For(new GeoPoint(45.764, 4.8357), 2996944);
        var villeurbanne = CityStyle.For(new GeoPoint(45.7719, 4.8902), 2968254);
        var lille = CityStyle.For(new GeoPoint(50.633, 3.0586), 2998324);
        var osaka = CityStyle.For(new GeoPoint(34.6937, 135.5023), 1853909);
        var near = Distance(lyon.Accent, villeurbanne.Accent) + Distance(lyon.Pavement, villeurbanne.Pavement);
        Assert.True(near < Distance(lyon.Accent, lille.Accent) + Distance(lyon.Pavement, lille.Pavement));
        Assert.True(near < Distance(lyon.Accent, osaka.Accent) + Distance(lyon.Pavement, osaka.Pavement));
    }

    [FactRequiringWorld]
    public void Landmark_photos_are_listed_and_share_their_landmark_s_site()
    {
        var options = SharedWorld.Tiny with { Seed = 5, DatabaseCount = 80, QueryCount = 20, RuralFraction = 0, IndoorFraction = 0, LandmarkFraction = 1 };
        var world = SharedWorld.GenerateTo(options);
        var listed = SharedWorld.ReadCsv(SyntheticWorldLayout.Landmarks(world), out var header);
        Assert.Equal(["IMG_ID", "landmark", "city"], header);
        Assert.NotEmpty(listed);
        var positions = SharedWorld.ReadCsv(SyntheticWorldLayout.DatabaseMetadata(world), out _)
            .Concat(SharedWorld.ReadCsv(SyntheticWorldLayout.QueryMetadata(world), out _))
            .ToDictionary(r => r["IMG_ID"], r => new GeoPoint(double.Parse(r["LAT"], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(r["LON"], System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var group in listed.GroupBy(r => r["landmark"]))
        {
            var points = group.Select(r => positions[r["IMG_ID"]]).ToList();
            Assert.All(points, a => Assert.All(points, b => Assert.True(GreatCircle.DistanceKm(a, b) < 0.75, $"{group.Key}: photos {GreatCircle.DistanceKm(a, b):0.00} km apart")));
        }
    }

    [FactRequiringWorld]
    public void Non_place_images_are_deterministic_jpegs_of_every_kind()
    {
        var images = new NonPlaceImages(new SyntheticWorldGenerator(SharedWorld.Geocoder), SharedWorld.Tiny);
        var canvas = new Canvas(64);
        using var encoder = new JpegEncoder();
        foreach (var kind in Enum.GetValues<NonPlaceKind>())
        {
            var a = images.Render(kind, 3, canvas, encoder);
            var b = images.Render(kind, 3, canvas, encoder);
            Assert.True(a is [0xFF, 0xD8, ..], $"{kind} is not a JPEG");
            Assert.Equal(a, b);
            Assert.NotEqual(a, images.Render(kind, 4, canvas, encoder));
        }
    }

    private static double Distance(Rgb a, Rgb b) =>
        Math.Sqrt((a.R - b.R) * (a.R - b.R) + (a.G - b.G) * (a.G - b.G) + (a.B - b.B) * (a.B - b.B));
}
