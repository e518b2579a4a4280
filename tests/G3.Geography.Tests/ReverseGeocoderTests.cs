namespace G3.Geography.Tests;

public sealed class ReverseGeocoderTests
{
    private static ReverseGeocoder Geo => SharedGeocoder.Value;

    [FactRequiringGeoData]
    public void Lyon_resolves_to_city_state_country_and_continent()
    {
        var r = Geo.Lookup(45.764, 4.8357);
        Assert.Equal("Lyon", r.Place.City);
        Assert.Equal("Auvergne-Rhône-Alpes", r.Place.State);
        Assert.Equal("France", r.Place.Country);
        Assert.Equal("FR", r.CountryCode);
        Assert.Equal("Europe", r.Place.Continent);
        Assert.False(r.IsOcean);
        Assert.InRange(r.CityDistanceKm!.Value, 0, 5);
    }

    [FactRequiringGeoData]
    public void Lyon_has_its_department_as_county()
    {
        Assert.Equal("Rhône", Geo.Lookup(45.764, 4.8357).Place.County);
    }

    [TheoryRequiringGeoData]
    [InlineData(40.7580, -73.9855, "US", "North America", "New York")]      // Times Square
    [InlineData(35.6812, 139.7671, "JP", "Asia", null)]                     // Tokyo station
    [InlineData(-33.8568, 151.2153, "AU", "Oceania", "New South Wales")]    // Sydney Opera House
    [InlineData(-22.9519, -43.2105, "BR", "South America", "Rio de Janeiro")]
    [InlineData(-1.2864, 36.8172, "KE", "Africa", null)]                    // Nairobi
    [InlineData(51.5007, -0.1246, "GB", "Europe", "England")]               // Westminster
    public void Known_places_get_their_country_and_continent(double lat, double lon, string iso, string continent, string? stateOrRegion)
    {
        var r = Geo.Lookup(lat, lon);
        Assert.Equal(iso, r.CountryCode);
        Assert.Equal(continent, r.Place.Continent);
        Assert.NotNull(r.Place.City);
        if (stateOrRegion is not null)
            Assert.Contains(stateOrRegion, new[] { r.Place.State, r.Place.Region });
    }

    [FactRequiringGeoData]
    public void Big_cities_win_over_nearer_suburbs()
    {
        Assert.Equal("Paris", Geo.Lookup(48.8606, 2.3376).Place.City);       // the Louvre
        Assert.Equal("New York City", Geo.Lookup(40.7580, -73.9855).Place.City); // Times Square, not "Manhattan"
        Assert.Equal("Tokyo", Geo.Lookup(35.6812, 139.7671).Place.City);
        Assert.Equal("Sydney", Geo.Lookup(-33.8568, 151.2153).Place.City);
    }

    [FactRequiringGeoData]
    public void Open_ocean_has_no_city_no_country_and_an_ocean_name()
    {
        // Inside country-coder's generous Brazil (which reaches its mid-Atlantic rocks), yet open sea.
        var r = Geo.Lookup(0, -30);
        Assert.True(r.IsOcean);
        Assert.Null(r.CountryCode);
        Assert.Null(r.City);
        Assert.Null(r.Place.City);
        Assert.Null(r.Place.Country);
        Assert.Null(r.Place.Continent);
        Assert.Equal("Atlantic Ocean", r.Ocean);
        Assert.Equal("Pacific Ocean", Geo.Lookup(-30, -140).Ocean);
        Assert.Equal("Indian Ocean", Geo.Lookup(-20, 75).Ocean);
    }

    [FactRequiringGeoData]
    public void Poles_do_not_fail_north_is_ocean_south_is_antarctica()
    {
        var north = Geo.Lookup(90, 0);
        Assert.True(north.IsOcean);
        Assert.Equal("Arctic Ocean", north.Ocean);
        var south = Geo.Lookup(-90, 0);
        Assert.Equal("AQ", south.CountryCode);
        Assert.Equal("Antarctica", south.Place.Continent);
        Assert.Null(south.Place.City);
        Assert.Equal("Antarctica", Geo.Lookup(-89.5, 179.99).Place.Continent);
    }

    [FactRequiringGeoData]
    public void Antimeridian_points_resolve_on_both_sides()
    {
        // Fiji straddles 180°: Taveuni (east of 180 in longitude terms: -179.9) and Labasa (+179.4).
        Assert.Equal("FJ", Geo.Lookup(-16.85, -179.95).CountryCode);
        Assert.Equal("FJ", Geo.Lookup(-16.43, 179.38).CountryCode);
        // Chukotka: Russia on both sides of 180°.
        Assert.Equal("RU", Geo.Lookup(67.5, 178.0).CountryCode);
        Assert.Equal("RU", Geo.Lookup(66.5, -178.5).CountryCode);
        Assert.Equal("Chukotka", Geo.Lookup(66.5, -178.5).Place.State);
        Assert.Equal("RU", Geo.Lookup(68.0, 180).CountryCode);
        // The Gulf of Kresta: inside Russia's generous border, but water on the coastline and no town near.
        Assert.True(Geo.Lookup(66.0, -179.5).IsOcean);
        // Kiribati's Line Islands (Kiritimati) and Gilbert Islands (Tarawa) on either side.
        Assert.Equal("KI", Geo.Lookup(1.87, -157.4).CountryCode);
        Assert.Equal("KI", Geo.Lookup(1.33, 172.98).CountryCode);
        // Between them, open Pacific.
        Assert.True(Geo.Lookup(-5, -175).IsOcean);
    }

    [FactRequiringGeoData]
    public void Territories_and_sub_country_regions_are_named()
    {
        var sanJuan = Geo.Lookup(18.4655, -66.1057);
        Assert.Equal("PR", sanJuan.CountryCode);
        Assert.Equal("North America", sanJuan.Place.Continent);
        var edinburgh = Geo.Lookup(55.9533, -3.1883);
        Assert.Equal("GB", edinburgh.CountryCode);
        Assert.Equal("Scotland", edinburgh.Place.Region);
        Assert.Equal("Edinburgh", edinburgh.Place.City);
    }

    [FactRequiringGeoData]
    public void Rural_points_keep_country_and_state_without_a_city()
    {
        // Central Australian outback, far from any place of 1000 people.
        var r = Geo.Lookup(-25.0, 131.5);
        Assert.Equal("AU", r.CountryCode);
        Assert.Null(r.Place.City);
        Assert.Equal("Oceania", r.Place.Continent);
    }

    [FactRequiringGeoData]
    public void Countries_have_names_continents_and_centroids_inside_their_borders()
    {
        var fr = Geo.Data.Countries["FR"];
        Assert.Equal("France", fr.Name);
        Assert.Equal("FRA", fr.Iso3);
        Assert.Equal("Europe", fr.Continent);
        Assert.Equal("FR", Geo.Lookup(fr.Centroid).CountryCode);
        Assert.True(Geo.Data.Countries.Count > 200);
        Assert.True(Geo.Data.Cities.Count > 100_000);
    }
}
