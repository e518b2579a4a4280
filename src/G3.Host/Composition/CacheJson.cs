using System.Text.Json;
using System.Text.Json.Serialization;
using G3.Core.Geo;

namespace G3.Host.Composition;

/// <summary>
/// How cached values are written as JSON (follow-up results hold the whole pipeline result). G3.Core's types carry no
/// serialization attributes (the kernel has no I/O), so the few that System.Text.Json cannot rebuild on its own get a
/// converter here; the round-trip test (CacheJsonTests) fails on any field that would be lost.
/// </summary>
internal static class CacheJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        Converters = { new GeoPointConverter(), new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A point as {"Latitude", "Longitude"}, rebuilt through its validating constructor.</summary>
    private sealed class GeoPointConverter : JsonConverter<GeoPoint>
    {
        public override GeoPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            double? latitude = null, longitude = null;
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a point is an object");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == nameof(GeoPoint.Latitude)) latitude = reader.GetDouble();
                else if (name == nameof(GeoPoint.Longitude)) longitude = reader.GetDouble();
                else reader.Skip();
            }
            return latitude is { } lat && longitude is { } lon ? new GeoPoint(lat, lon) : throw new JsonException("a point needs Latitude and Longitude");
        }

        public override void Write(Utf8JsonWriter writer, GeoPoint value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteNumber(nameof(GeoPoint.Latitude), value.Latitude);
            writer.WriteNumber(nameof(GeoPoint.Longitude), value.Longitude);
            writer.WriteEndObject();
        }
    }
}
