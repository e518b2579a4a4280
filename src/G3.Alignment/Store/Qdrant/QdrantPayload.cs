using System.Text.Json;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;

namespace G3.Alignment.Store.Qdrant;

/// <summary>
/// The payload stored with each point: the original id, the position and the MP16-Pro place
/// columns (only those present). Flat keys so they can be indexed and filtered on in Qdrant.
/// </summary>
internal static class QdrantPayload
{
    public const string ImageId = "img_id";
    public const string Latitude = "lat";
    public const string Longitude = "lon";

    // Same names as MP16-Pro's columns.
    private static readonly (string Key, Func<Place, string?> Get)[] PlaceFields =
    [
        ("neighbourhood", p => p.Neighbourhood),
        ("city", p => p.City),
        ("county", p => p.County),
        ("state", p => p.State),
        ("region", p => p.Region),
        ("country", p => p.Country),
        ("continent", p => p.Continent),
    ];

    public static void Write(Utf8JsonWriter w, ReferenceRecord record)
    {
        w.WriteStartObject();
        w.WriteString(ImageId, record.Id);
        w.WriteNumber(Latitude, record.Point.Latitude);
        w.WriteNumber(Longitude, record.Point.Longitude);
        if (record.Place is { } place)
        {
            foreach (var (key, get) in PlaceFields)
                if (get(place) is { } value)
                    w.WriteString(key, value);
        }
        w.WriteEndObject();
    }

    /// <summary>Reads a hit's payload back into a <see cref="ReferencePhoto"/>; a payload this store did not write is a protocol error.</summary>
    public static ReferencePhoto Read(JsonElement payload, double similarity, string where)
    {
        if (payload.ValueKind != JsonValueKind.Object)
            throw new QdrantProtocolException(
                $"{where}: the point has no payload; was the collection filled by another program? Points need '{ImageId}', '{Latitude}' and '{Longitude}'.");

        var id = payload.TryGetProperty(ImageId, out var idElement) && idElement.ValueKind == JsonValueKind.String
            ? idElement.GetString()!
            : throw new QdrantProtocolException($"{where}: payload lacks the string '{ImageId}'.");
        var lat = ReadNumber(payload, Latitude, where, id);
        var lon = ReadNumber(payload, Longitude, where, id);
        if (!GeoPoint.TryCreate(lat, lon, out var point, out var error))
            throw new QdrantProtocolException($"{where}: point '{id}' holds an invalid position: {error}.");

        string? Text(string key) =>
            payload.TryGetProperty(key, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        var place = new Place(Text("neighbourhood"), Text("city"), Text("county"), Text("state"),
            Text("region"), Text("country"), Text("continent"));
        return new ReferencePhoto(id, point, similarity, place == Empty ? null : place);
    }

    private static readonly Place Empty = new();

    private static double ReadNumber(JsonElement payload, string key, string where, string id) =>
        payload.TryGetProperty(key, out var e) && e.ValueKind == JsonValueKind.Number
            ? e.GetDouble()
            : throw new QdrantProtocolException($"{where}: payload of point '{id}' lacks the number '{key}'.");
}
