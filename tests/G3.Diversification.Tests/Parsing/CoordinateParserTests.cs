using G3.Core.Candidates;
using G3.Diversification.Parsing;

namespace G3.Diversification.Tests.Parsing;

public class CoordinateParserTests
{
    [Theory]
    [InlineData("{\"latitude\": 48.8566, \"longitude\": 2.3522}", "json")]
    [InlineData("```json\n{\"latitude\": 48.8566, \"longitude\": 2.3522}\n```", "json")]
    [InlineData("Based on the architecture, I think this is Paris: {\"latitude\": 48.8566, \"longitude\": 2.3522}. The Haussmann facades...", "json")]
    [InlineData("{\"lat\": \"48.8566\", \"lng\": \"2.3522\"}", "json")]
    [InlineData("{'latitude': 48.8566, 'longitude': 2.3522}", "labels")]
    [InlineData("Latitude: 48.8566, Longitude: 2.3522", "labels")]
    [InlineData("lat = 48.8566 / lon = 2.3522", "labels")]
    [InlineData("latitude: 48,8566, longitude: 2,3522", "labels")]
    [InlineData("48°51'24\"N, 2°21'8\"E", "hemispheres")]
    [InlineData("48.8566° N, 2.3522° E", "hemispheres")]
    [InlineData("The photo was taken at (48.8566, 2.3522).", "pair")]
    [InlineData("[48.8566, 2.3522]", "pair")]
    [InlineData("My guess: 48.8566, 2.3522", "pair")]
    [InlineData("48,8566; 2,3522", "comma-decimals")]
    public void Reads_Paris_in_every_format(string answer, string format)
    {
        var r = CoordinateParser.Parse(answer);
        Assert.Equal(ParseOutcome.Parsed, r.Outcome);
        Assert.Equal(format, r.Format);
        Assert.Equal(48.8566, r.Point!.Value.Latitude, 3);
        Assert.Equal(2.3522, r.Point!.Value.Longitude, 3);
    }

    [Theory]
    [InlineData("{\"latitude\": -33.8688, \"longitude\": 151.2093}", -33.8688, 151.2093)]
    [InlineData("33°52'8\"S 151°12'33\"E", -33.8689, 151.2092)]
    [InlineData("Latitude: 40.7128 N, Longitude: 74.0060 W", 40.7128, -74.006)]
    [InlineData("(−22.9068, −43.1729)", -22.9068, -43.1729)]
    [InlineData("{\"longitude\": -43.1729, \"latitude\": -22.9068}", -22.9068, -43.1729)]
    public void Reads_signs_and_hemispheres(string answer, double lat, double lon)
    {
        var r = CoordinateParser.Parse(answer);
        Assert.Equal(ParseOutcome.Parsed, r.Outcome);
        Assert.Equal(lat, r.Point!.Value.Latitude, 3);
        Assert.Equal(lon, r.Point!.Value.Longitude, 3);
    }

    [Theory]
    [InlineData("{\"latitude\": 0, \"longitude\": 0}", "placeholder")]
    [InlineData("{\"latitude\": 95.2, \"longitude\": 10}", "latitude 95.2")]
    [InlineData("{\"latitude\": 45, \"longitude\": 200}", "longitude 200")]
    public void Rejects_impossible_and_placeholder_coordinates(string answer, string why)
    {
        var r = CoordinateParser.Parse(answer);
        Assert.Equal(ParseOutcome.Invalid, r.Outcome);
        Assert.Null(r.Point);
        Assert.Contains(why, r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("I'm sorry, I can't determine where this photo was taken.")]
    [InlineData("{\"latitude\": null, \"longitude\": null}")]
    [InlineData("{\"city\": \"Paris\"}")]
    [InlineData("Somewhere in Europe, probably around the year 1998.")]
    public void Says_unparsable_when_there_is_no_location(string? answer)
    {
        var r = CoordinateParser.Parse(answer);
        Assert.Equal(ParseOutcome.Unparsable, r.Outcome);
        Assert.Null(r.Point);
        Assert.False(string.IsNullOrEmpty(r.Error));
    }
}
