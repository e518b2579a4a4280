using System.Text.Json;
using System.Text.Json.Serialization;

namespace G3.Evaluation;

/// <summary>JSON of experiment files and results: snake_case like the HTTP API, enums as strings, nulls omitted.</summary>
internal static class EvalJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
