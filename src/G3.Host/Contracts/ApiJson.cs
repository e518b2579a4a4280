using System.Text.Json;
using System.Text.Json.Serialization;

namespace G3.Host.Contracts;

/// <summary>JSON conventions of the HTTP API: snake_case like OpenAI's, enums as strings, nulls omitted.</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Sets the conventions on <paramref name="options"/> (also the options typed results are written with).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}
