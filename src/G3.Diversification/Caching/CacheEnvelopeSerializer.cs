using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;

namespace G3.Diversification.Caching;

/// <summary>
/// HybridCache's serializer for every <see cref="CacheEnvelope{T}"/>: <c>{"format":…,"version":…,"value":…}</c> in UTF-8 JSON,
/// the format and version taken from <typeparamref name="T"/>'s <see cref="CacheFormatAttribute"/>. Reading never throws:
/// bytes of another format or version, or bytes that do not parse, come back as a refusal (<see cref="CacheEnvelope{T}.Refused"/>).
/// </summary>
internal sealed class CacheEnvelopeSerializer<T> : IHybridCacheSerializer<CacheEnvelope<T>> where T : class
{
    private static readonly CacheFormatAttribute Format = typeof(T).GetCustomAttribute<CacheFormatAttribute>()
        ?? throw new InvalidOperationException($"{typeof(T).Name} has no [CacheFormat]: a cached type names its format and version.");

    private readonly JsonSerializerOptions _json;

    public CacheEnvelopeSerializer(JsonSerializerOptions json) => _json = json;

    public void Serialize(CacheEnvelope<T> value, IBufferWriter<byte> target)
    {
        if (value.Value is null) throw new InvalidOperationException("a refused cache value is never written back");
        using var writer = new Utf8JsonWriter(target);
        writer.WriteStartObject();
        writer.WriteString("format", Format.Name);
        writer.WriteNumber("version", Format.Version);
        writer.WritePropertyName("value");
        JsonSerializer.Serialize(writer, value.Value, _json);
        writer.WriteEndObject();
    }

    public CacheEnvelope<T> Deserialize(ReadOnlySequence<byte> source)
    {
        try
        {
            using var document = JsonDocument.Parse(source);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
                return CacheEnvelope.Refusal<T>("not a G3 cache entry (no format and version)");
            if (format.GetString() != Format.Name || !version.TryGetInt32(out var v) || v != Format.Version)
                return CacheEnvelope.Refusal<T>($"format {format.GetString()} version {version.GetRawText()}, expected {Format.Name} version {Format.Version}");
            if (!root.TryGetProperty("value", out var body))
                return CacheEnvelope.Refusal<T>("the entry has no value");
            return body.Deserialize<T>(_json) is { } value ? CacheEnvelope.Of(value) : CacheEnvelope.Refusal<T>("the entry's value is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return CacheEnvelope.Refusal<T>($"damaged: {e.Message}");
        }
    }
}

/// <summary>Gives HybridCache a <see cref="CacheEnvelopeSerializer{T}"/> for each <see cref="CacheEnvelope{T}"/> it stores.</summary>
public sealed class CacheEnvelopeSerializerFactory(JsonSerializerOptions? json = null) : IHybridCacheSerializerFactory
{
    private readonly JsonSerializerOptions _json = json ?? new JsonSerializerOptions();

    public bool TryCreateSerializer<T>([NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
    {
        serializer = null;
        if (!typeof(T).IsGenericType || typeof(T).GetGenericTypeDefinition() != typeof(CacheEnvelope<>)) return false;
        var inner = typeof(T).GetGenericArguments()[0];
        serializer = (IHybridCacheSerializer<T>)Activator.CreateInstance(typeof(CacheEnvelopeSerializer<>).MakeGenericType(inner), _json)!;
        return true;
    }
}
