namespace G3.Diversification.Caching;

/// <summary>
/// Names a cached value's format and its version. A value read back under another format or version (an older build's
/// entry, another program's key on a shared server) is refused rather than misread.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CacheFormatAttribute(string name, int version) : Attribute
{
    public string Name { get; } = name;
    public int Version { get; } = version;
}

/// <summary>
/// A cached value as <see cref="CacheEnvelopeSerializerFactory"/> reads it back: the value, or why the stored bytes were
/// refused (foreign format, other version, damaged). Readers log a refusal and treat it as a miss; it is never thrown.
/// </summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed class CacheEnvelope<T> where T : class
{
    internal CacheEnvelope(T? value, string? refused) => (Value, Refused) = (value, refused);

    public T? Value { get; }

    /// <summary>Why the stored bytes were not read as a <typeparamref name="T"/>; null when <see cref="Value"/> holds one.</summary>
    public string? Refused { get; }
}

/// <summary>Builds <see cref="CacheEnvelope{T}"/>s.</summary>
public static class CacheEnvelope
{
    public static CacheEnvelope<T> Of<T>(T value) where T : class => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static CacheEnvelope<T> Refusal<T>(string why) where T : class => new(null, why);
}
