using System.Numerics;
using System.Runtime.InteropServices;

namespace G3.Retrieval.Embedded;

/// <summary>
/// CRC-32C (Castagnoli) that can be continued: the checksum of committed data is carried in the
/// manifest and extended with each append, so a commit hashes only its new bytes.
/// BitOperations.Crc32C uses the CPU's CRC instruction where there is one.
/// </summary>
internal static class Crc32C
{
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        while (data.Length >= sizeof(ulong))
        {
            state = BitOperations.Crc32C(state, MemoryMarshal.Read<ulong>(data));
            data = data[sizeof(ulong)..];
        }
        foreach (var b in data)
            state = BitOperations.Crc32C(state, b);
        return ~state;
    }

    /// <summary>Checksums <paramref name="length"/> bytes of mapped memory in slices (spans are int-sized).</summary>
    public static unsafe uint Append(uint crc, byte* data, long length)
    {
        const int slice = 1 << 30;
        for (long done = 0; done < length; done += slice)
            crc = Append(crc, new ReadOnlySpan<byte>(data + done, (int)Math.Min(slice, length - done)));
        return crc;
    }
}
