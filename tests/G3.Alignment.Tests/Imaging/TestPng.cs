using System.Buffers.Binary;
using System.IO.Compression;

namespace G3.Alignment.Tests.Imaging;

/// <summary>Builds small PNGs in memory, so tests can state exact sample values and header fields.</summary>
internal static class TestPng
{
    /// <summary>A PNG with the given IHDR fields and raw (unfiltered) rows; each row gets filter byte 0.</summary>
    public static byte[] Build(uint width, uint height, byte bitDepth, byte colorType, IEnumerable<byte[]> rows)
    {
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            foreach (var row in rows)
            {
                z.WriteByte(0);
                z.Write(row);
            }
        }
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] body)
    {
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(u32, (uint)body.Length);
        s.Write(u32);
        var typeAndBody = new byte[4 + body.Length];
        for (var i = 0; i < 4; i++)
            typeAndBody[i] = (byte)type[i];
        body.CopyTo(typeAndBody, 4);
        s.Write(typeAndBody);
        BinaryPrimitives.WriteUInt32BigEndian(u32, Crc32(typeAndBody));
        s.Write(u32);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
