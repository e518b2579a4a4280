using Google.Protobuf.Collections;
using G3.Core.Candidates;
using G3.Core.Geo;
using G3.Core.Ports;
using Value = Qdrant.Client.Grpc.Value;

namespace G3.Retrieval.Qdrant;

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

    /// <summary>Whether an indexed key holds numbers (float index) rather than text (keyword index).</summary>
    public static bool IsNumeric(string key) => key is Latitude or Longitude;

    public static void Write(MapField<string, Value> payload, ReferenceRecord record)
    {
        payload[ImageId] = new Value { StringValue = record.Id };
        payload[Latitude] = new Value { DoubleValue = record.Point.Latitude };
        payload[Longitude] = new Value { DoubleValue = record.Point.Longitude };
        if (record.Place is not { } place) return;
        foreach (var (key, get) in PlaceFields)
            if (get(place) is { } value)
                payload[key] = new Value { StringValue = value };
    }

    /// <summary>Reads a hit's payload back into a <see cref="ReferencePhoto"/>; a payload this store did not write is a protocol error.</summary>
    public static ReferencePhoto Read(MapField<string, Value> payload, double similarity, string where)
    {
        if (payload.Count == 0)
            throw new QdrantProtocolException(
                $"{where}: the point has no payload; was the collection filled by another program? Points need '{ImageId}', '{Latitude}' and '{Longitude}'.");

        var id = payload.TryGetValue(ImageId, out var idValue) && idValue.KindCase == Value.KindOneofCase.StringValue
            ? idValue.StringValue
            : throw new QdrantProtocolException($"{where}: payload lacks the string '{ImageId}'.");
        var lat = ReadNumber(payload, Latitude, where, id);
        var lon = ReadNumber(payload, Longitude, where, id);
        if (!GeoPoint.TryCreate(lat, lon, out var point, out var error))
            throw new QdrantProtocolException($"{where}: point '{id}' holds an invalid position: {error}.");

        string? Text(string key) =>
            payload.TryGetValue(key, out var v) && v.KindCase == Value.KindOneofCase.StringValue ? v.StringValue : null;
        var place = new Place(Text("neighbourhood"), Text("city"), Text("county"), Text("state"),
            Text("region"), Text("country"), Text("continent"));
        return new ReferencePhoto(id, point, similarity, place == Empty ? null : place);
    }

    private static readonly Place Empty = new();

    private static double ReadNumber(MapField<string, Value> payload, string key, string where, string id) =>
        payload.TryGetValue(key, out var v) ? v.KindCase switch
        {
            Value.KindOneofCase.DoubleValue => v.DoubleValue,
            Value.KindOneofCase.IntegerValue => v.IntegerValue,
            _ => throw new QdrantProtocolException($"{where}: payload of point '{id}' holds a non-number '{key}'."),
        } : throw new QdrantProtocolException($"{where}: payload of point '{id}' lacks the number '{key}'.");
}
