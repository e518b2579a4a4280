using System.Text.Json;
using System.Text.Json.Serialization;

namespace G3.Host.Apis;

/// <summary>JSON conventions of the HTTP API: snake_case like OpenAI's, enums as strings, nulls omitted.</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
