using System.Buffers.Binary;
using System.Globalization;

namespace G3.Retrieval.Embedded;

/// <summary>
/// Turns a directory into the first snapshot: checks the data files against the manifest's committed
/// lengths and checksums, walks the payloads to rebuild row → id, and replays the tombstones.
/// Anything that does not add up is a <see cref="StoreCorruptException"/>, never a silently short store.
/// </summary>
internal static unsafe class StoreLoader
{
    public sealed record Loaded(StoreSnapshot Snapshot, Dictionary<string, int> RowsById);

    public static void CheckCommittedLengths(StoreFiles files, StoreManifest manifest)
    {
        Check(files.Vectors, manifest.VectorBytes, "vectors");
        Check(files.Payloads, manifest.PayloadBytes, "payloads");
        Check(files.Tombstones, (long)manifest.Tombstones * sizeof(long), "tombstones");

        static void Check(string path, long committed, string what)
        {
            if (!File.Exists(path))
                throw new StoreCorruptException($"the store's {what} file {path} is missing");
            var length = new FileInfo(path).Length;
            if (length < committed)
                throw new StoreCorruptException(string.Create(CultureInfo.InvariantCulture,
                    $"the store's {what} file {path} is truncated: it holds {length} bytes but {committed} are committed"));
        }
    }

    public static Loaded Load(StoreFiles files, StoreManifest manifest, bool verifyChecksums)
    {
        MappedFile? vectors = null, payloads = null;
        try
        {
            vectors = MappedFile.Map(files.Vectors, manifest.VectorBytes);
            payloads = MappedFile.Map(files.Payloads, manifest.PayloadBytes);
            var tombstones = File.ReadAllBytes(files.Tombstones).AsSpan(0, manifest.Tombstones * sizeof(long));

            if (verifyChecksums)
            {
                Verify("vectors", files.Vectors, manifest.VectorsCrc32C,
                    vectors is null ? 0 : Crc32C.Append(0, vectors.Pointer, vectors.Length));
                Verify("payloads", files.Payloads, manifest.PayloadsCrc32C,
                    payloads is null ? 0 : Crc32C.Append(0, payloads.Pointer, payloads.Length));
            }
            // Tombstones are small and drive which rows are visible: always verified.
            Verify("tombstones", files.Tombstones, manifest.TombstonesCrc32C, Crc32C.Append(0, tombstones));

            var capacity = Math.Max(16, manifest.Rows);
            var ids = new string[capacity];
            var offsets = new long[capacity];
            ReadPayloadIndex(files, manifest, payloads, ids, offsets);
            var dead = ReadTombstones(files, manifest, tombstones, capacity);

            var rowsById = new Dictionary<string, int>(manifest.LiveRows, StringComparer.Ordinal);
            for (var row = 0; row < manifest.Rows; row++)
            {
                if (dead is not null && (dead[row >> 6] & (1UL << row)) != 0) continue;
                if (!rowsById.TryAdd(ids[row], row))
                    throw new StoreCorruptException(
                        $"the store {files.Directory} holds id '{ids[row]}' twice among live rows; the store is damaged");
            }

            var snapshot = StoreSnapshot.Of(manifest, vectors, payloads, ids, offsets, dead);
            return new Loaded(snapshot, rowsById);
        }
        catch
        {
            vectors?.Dispose();
            payloads?.Dispose();
            throw;
        }
    }

    private static void Verify(string what, string path, uint expected, uint actual)
    {
        if (expected != actual)
            throw new StoreCorruptException(string.Create(CultureInfo.InvariantCulture,
                $"the store's {what} file {path} fails its checksum (CRC-32C {actual:x8}, committed {expected:x8}); the store is damaged"));
    }

    private static void ReadPayloadIndex(StoreFiles files, StoreManifest manifest, MappedFile? payloads, string[] ids, long[] offsets)
    {
        long offset = 0;
        for (var row = 0; row < manifest.Rows; row++)
        {
            var remaining = manifest.PayloadBytes - offset;
            if (payloads is null || remaining <= 0)
                throw new StoreCorruptException(string.Create(CultureInfo.InvariantCulture,
                    $"the store's payloads file {files.Payloads} ends at row {row} of {manifest.Rows}; the store is damaged"));
            var span = payloads.Span(offset, (int)Math.Min(remaining, int.MaxValue));
            if (!PayloadCodec.TryReadHeader(span, out var length, out var id, out var error))
                throw new StoreCorruptException(string.Create(CultureInfo.InvariantCulture,
                    $"the store's payloads file {files.Payloads} is damaged at row {row} (offset {offset}): {error}"));
            ids[row] = id;
            offsets[row] = offset;
            offset += length;
        }
        if (offset != manifest.PayloadBytes)
            throw new StoreCorruptException(string.Create(CultureInfo.InvariantCulture,
                $"the store's payloads file {files.Payloads} holds {manifest.PayloadBytes - offset} committed bytes past its last row; the store is damaged"));
    }

    private static ulong[]? ReadTombstones(StoreFiles files, StoreManifest manifest, ReadOnlySpan<byte> tombstones, int capacity)
    {
        if (manifest.Tombstones == 0)
        {
            if (manifest.LiveRows != manifest.Rows)
                throw new StoreCorruptException($"the store manifest {files.Manifest} counts dead rows but records no tombstones");
            return null;
        }
        var dead = new ulong[(capacity + 63) / 64];
        var deadCount = 0;
        for (var i = 0; i < manifest.Tombstones; i++)
        {
            var row = BinaryPrimitives.ReadInt64LittleEndian(tombstones[(i * sizeof(long))..]);
            if (row < 0 || row >= manifest.Rows)
                throw new StoreCorruptException(string.Create(CultureInfo.InvariantCulture,
                    $"the store's tombstones file {files.Tombstones} names row {row}, outside 0..{manifest.Rows - 1}; the store is damaged"));
            ref var word = ref dead[row >> 6];
            var bit = 1UL << (int)row;
            if ((word & bit) == 0) deadCount++;
            word |= bit;
        }
        if (manifest.Rows - deadCount != manifest.LiveRows)
            throw new StoreCorruptException(string.Create(CultureInfo.InvariantCulture,
                $"the store manifest {files.Manifest} counts {manifest.LiveRows} live rows but the tombstones leave {manifest.Rows - deadCount}; the store is damaged"));
        return dead;
    }
}
