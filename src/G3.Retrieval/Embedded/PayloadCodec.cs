using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using G3.Core.Candidates;
using G3.Core.Geo;

namespace G3.Retrieval.Embedded;

/// <summary>
/// One row's payload in payloads.bin:
/// <c>int32 bodyLength | id | float64 lat | float64 lon | byte flags | present place fields</c>,
/// strings as a 7-bit varint byte count followed by UTF-8; flags bit 7 = a Place is attached,
/// bits 0..6 = which of its seven fields (neighbourhood … continent) follow, in that order.
/// The length prefix lets the open-time scan walk records without decoding them.
/// </summary>
internal static class PayloadCodec
{
    private const byte PlacePresent = 0x80;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Appends one record to <paramref name="output"/>; <paramref name="scratch"/> holds the body while its length is unknown.</summary>
    public static void Encode(ArrayBufferWriter<byte> output, ArrayBufferWriter<byte> scratch, string id, GeoPoint point, Place? place)
    {
        scratch.ResetWrittenCount();
        WriteString(scratch, id);
        var numbers = scratch.GetSpan(2 * sizeof(double));
        BinaryPrimitives.WriteDoubleLittleEndian(numbers, point.Latitude);
        BinaryPrimitives.WriteDoubleLittleEndian(numbers[sizeof(double)..], point.Longitude);
        scratch.Advance(2 * sizeof(double));

        string?[] fields = place is null ? [] : Fields(place);
        var flags = place is null ? (byte)0 : PlacePresent;
        for (var i = 0; i < fields.Length; i++)
            if (fields[i] is not null) flags |= (byte)(1 << i);
        scratch.GetSpan(1)[0] = flags;
        scratch.Advance(1);
        foreach (var field in fields)
            if (field is not null) WriteString(scratch, field);

        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(sizeof(int)), scratch.WrittenCount);
        output.Advance(sizeof(int));
        output.Write(scratch.WrittenSpan);
    }

    /// <summary>Total bytes of the record starting at <paramref name="record"/> and its id, or an error.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> record, out int totalLength, out string id, out string? error)
    {
        totalLength = 0;
        id = "";
        if (record.Length < sizeof(int)) { error = "record length prefix is cut off"; return false; }
        var body = BinaryPrimitives.ReadInt32LittleEndian(record);
        if (body <= 0 || body > record.Length - sizeof(int)) { error = $"record length {body} runs past the committed data"; return false; }
        totalLength = sizeof(int) + body;
        var reader = new SpanReader(record.Slice(sizeof(int), body));
        if (!reader.TryReadString(out var s) || s.Length == 0) { error = "record id is unreadable"; return false; }
        id = s;
        error = null;
        return true;
    }

    public static ReferencePhoto Decode(ReadOnlySpan<byte> record, double similarity)
    {
        var body = BinaryPrimitives.ReadInt32LittleEndian(record);
        var reader = new SpanReader(record.Slice(sizeof(int), body));
        if (!reader.TryReadString(out var id)
            || !reader.TryReadDouble(out var lat) || !reader.TryReadDouble(out var lon)
            || !reader.TryReadByte(out var flags)
            || !GeoPoint.TryCreate(lat, lon, out var point, out _))
            throw new StoreCorruptException("a payload record in payloads.bin is undecodable; the store is damaged");
        Place? place = null;
        if ((flags & PlacePresent) != 0)
        {
            var fields = new string?[7];
            for (var i = 0; i < fields.Length; i++)
            {
                if ((flags & (1 << i)) == 0) continue;
                if (!reader.TryReadString(out var f))
                    throw new StoreCorruptException($"the place text of payload '{id}' is undecodable; the store is damaged");
                fields[i] = f;
            }
            place = new Place(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]);
        }
        return new ReferencePhoto(id, point, similarity, place);
    }

    private static string?[] Fields(Place p) => [p.Neighbourhood, p.City, p.County, p.State, p.Region, p.Country, p.Continent];

    private static void WriteString(ArrayBufferWriter<byte> output, string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        var span = output.GetSpan(5 + byteCount);
        var n = 0;
        var v = (uint)byteCount;
        while (v >= 0x80) { span[n++] = (byte)(v | 0x80); v >>= 7; }
        span[n++] = (byte)v;
        n += Encoding.UTF8.GetBytes(value, span[n..]);
        output.Advance(n);
    }

    /// <summary>Bounds-checked sequential reads over one record body.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public bool TryReadByte(out byte value)
        {
            value = 0;
            if (_rest.IsEmpty) return false;
            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool TryReadDouble(out double value)
        {
            value = 0;
            if (_rest.Length < sizeof(double)) return false;
            value = BinaryPrimitives.ReadDoubleLittleEndian(_rest);
            _rest = _rest[sizeof(double)..];
            return true;
        }

        public bool TryReadString(out string value)
        {
            value = "";
            uint length = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 28 || !TryReadByte(out var b)) return false;
                length |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
            }
            if (length > (uint)_rest.Length) return false;
            try
            {
                value = StrictUtf8.GetString(_rest[..(int)length]);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
            _rest = _rest[(int)length..];
            return true;
        }
    }
}
