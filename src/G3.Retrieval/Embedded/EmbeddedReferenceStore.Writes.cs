using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using G3.Core.Ports;

namespace G3.Retrieval.Embedded;

public sealed partial class EmbeddedReferenceStore
{
    /// <summary>
    /// Appends the records in one commit. An id that already exists is replaced (its old row is
    /// tombstoned and the new one appended, as Qdrant's upsert replaces); within one call, the last
    /// record with an id wins. The commit protocol: append vectors, payloads and tombstones past the
    /// committed ends, fsync them, then atomically replace the manifest with the new counts and
    /// checksums. Until that rename nothing is visible; a process killed earlier leaves the previous
    /// commit, and the uncommitted bytes are cut off at the next open.
    /// </summary>
    public async Task UpsertAsync(IReadOnlyList<ReferenceRecord> records, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
            CheckRecord(records, i);
        if (records.Count == 0) return;

        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CommitUpsert(RequireWriter(), records);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Tombstones the live rows with these ids in one durable commit; returns how many existed.</summary>
    public async Task<int> DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(ids);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = RequireWriter();
            var rows = new List<int>();
            var removed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in ids)
                if (id is not null && removed.Add(id) && _rowsById.TryGetValue(id, out var row))
                    rows.Add(row);
            removed.IntersectWith(_rowsById.Keys);
            if (rows.Count == 0) return 0;

            var manifest = _manifest;
            var tombstonesCrc = AppendTombstones(writer, manifest, rows);
            var next = manifest with
            {
                Generation = manifest.Generation + 1,
                LiveRows = manifest.LiveRows - rows.Count,
                Tombstones = manifest.Tombstones + rows.Count,
                TombstonesCrc32C = tombstonesCrc,
            };
            next.WriteAtomically(_files.Manifest);
            Publish(next, [], [], rows, removed, null);
            return rows.Count;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private StoreWriter RequireWriter() =>
        _writer ?? throw new InvalidOperationException($"the reference store at {Directory} was opened read-only; it cannot be changed");

    private void CheckRecord(IReadOnlyList<ReferenceRecord> records, int index)
    {
        var record = records[index];
        var what = string.Create(CultureInfo.InvariantCulture, $"record {index}");
        if (record is null)
            throw new ArgumentException($"{what} is null", nameof(records));
        if (string.IsNullOrEmpty(record.Id))
            throw new ArgumentException($"{what} has no id", nameof(records));
        QueryValidation.CheckVector(record.Vector, Dimension, ModelId, $"{what} ('{record.Id}')", nameof(records));
        if (ElementType == StoreElementType.Float16)
            for (var i = 0; i < record.Vector.Length; i++)
                if (MathF.Abs(record.Vector[i]) > (float)Half.MaxValue)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"{what} ('{record.Id}') has component {record.Vector[i]} at index {i}, beyond float16's range (±65504); normalise the vectors"),
                        nameof(records));
    }

    private void CommitUpsert(StoreWriter writer, IReadOnlyList<ReferenceRecord> records)
    {
        var manifest = _manifest;
        if ((long)manifest.Rows + records.Count > int.MaxValue)
            throw new ReferenceStoreException($"the reference store at {Directory} cannot hold more than {int.MaxValue} rows");
        var baseRow = manifest.Rows;

        // Replace semantics: an existing id (or an earlier record of this batch) loses its row.
        var killed = new List<int>();
        var batchRows = new Dictionary<string, int>(records.Count, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var id = records[i].Id;
            if (batchRows.TryGetValue(id, out var previous)) killed.Add(previous);
            else if (_rowsById.TryGetValue(id, out var existing)) killed.Add(existing);
            batchRows[id] = baseRow + i;
        }

        var vectorsCrc = AppendVectors(writer, manifest, records);
        var (payloadsCrc, payloadBytes, offsets) = AppendPayloads(writer, manifest, records);
        var tombstonesCrc = killed.Count > 0 ? AppendTombstones(writer, manifest, killed) : manifest.TombstonesCrc32C;

        var next = manifest with
        {
            Generation = manifest.Generation + 1,
            Rows = baseRow + records.Count,
            LiveRows = manifest.LiveRows + records.Count - killed.Count,
            PayloadBytes = payloadBytes,
            Tombstones = manifest.Tombstones + killed.Count,
            VectorsCrc32C = vectorsCrc,
            PayloadsCrc32C = payloadsCrc,
            TombstonesCrc32C = tombstonesCrc,
        };
        next.WriteAtomically(_files.Manifest);
        Publish(next, records, offsets, killed, null, batchRows);
    }

    private uint AppendVectors(StoreWriter writer, StoreManifest manifest, IReadOnlyList<ReferenceRecord> records)
    {
        var stream = writer.Vectors;
        StoreWriter.PrepareAppend(stream, manifest.VectorBytes);
        var crc = manifest.VectorsCrc32C;
        var halves = ElementType == StoreElementType.Float16 ? new Half[Dimension] : null;
        foreach (var record in records)
        {
            ReadOnlySpan<byte> bytes;
            if (halves is null)
            {
                bytes = MemoryMarshal.AsBytes(record.Vector.AsSpan());
            }
            else
            {
                TensorPrimitives.ConvertToHalf(record.Vector, halves);
                bytes = MemoryMarshal.AsBytes(halves.AsSpan());
            }
            if (!BitConverter.IsLittleEndian)
                throw new PlatformNotSupportedException("the embedded store's files are little-endian");
            stream.Write(bytes);
            crc = Crc32C.Append(crc, bytes);
        }
        stream.Flush(flushToDisk: true);
        return crc;
    }

    private static (uint Crc, long Bytes, long[] Offsets) AppendPayloads(StoreWriter writer, StoreManifest manifest, IReadOnlyList<ReferenceRecord> records)
    {
        var stream = writer.Payloads;
        StoreWriter.PrepareAppend(stream, manifest.PayloadBytes);
        var crc = manifest.PayloadsCrc32C;
        var flushed = manifest.PayloadBytes;
        var offsets = new long[records.Count];
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        var scratch = new ArrayBufferWriter<byte>(256);
        for (var i = 0; i < records.Count; i++)
        {
            offsets[i] = flushed + buffer.WrittenCount;
            PayloadCodec.Encode(buffer, scratch, records[i].Id, records[i].Point, records[i].Place);
            if (buffer.WrittenCount >= 1 << 20 || i == records.Count - 1)
            {
                stream.Write(buffer.WrittenSpan);
                crc = Crc32C.Append(crc, buffer.WrittenSpan);
                flushed += buffer.WrittenCount;
                buffer.ResetWrittenCount();
            }
        }
        stream.Flush(flushToDisk: true);
        return (crc, flushed, offsets);
    }

    private static uint AppendTombstones(StoreWriter writer, StoreManifest manifest, List<int> rows)
    {
        var stream = writer.Tombstones;
        StoreWriter.PrepareAppend(stream, (long)manifest.Tombstones * sizeof(long));
        var bytes = new byte[rows.Count * sizeof(long)];
        for (var i = 0; i < rows.Count; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), rows[i]);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
        return Crc32C.Append(manifest.TombstonesCrc32C, bytes);
    }

    /// <summary>
    /// Makes a durable commit visible: extends the row arrays (in place past the old row count, or in
    /// a larger copy), copies the tombstone bitset when rows died, maps the new lengths and swaps the
    /// snapshot. Searches already running finish on the snapshot they pinned.
    /// </summary>
    private void Publish(StoreManifest manifest, IReadOnlyList<ReferenceRecord> added, long[] addedOffsets,
        List<int> killed, HashSet<string>? removedIds, Dictionary<string, int>? addedRows)
    {
        var old = _current;
        var ids = old.Ids;
        var offsets = old.PayloadOffsets;
        if (manifest.Rows > ids.Length)
        {
            var capacity = (int)Math.Min(int.MaxValue, Math.Max(manifest.Rows, 2L * ids.Length));
            Array.Resize(ref ids, capacity);
            Array.Resize(ref offsets, capacity);
        }
        var baseRow = manifest.Rows - added.Count;
        for (var i = 0; i < added.Count; i++)
        {
            ids[baseRow + i] = added[i].Id;
            offsets[baseRow + i] = addedOffsets[i];
        }

        var dead = old.Dead;
        var words = (ids.Length + 63) / 64;
        if (killed.Count > 0 || (dead is not null && dead.Length < words))
        {
            var copy = new ulong[words];
            dead?.CopyTo(copy, 0);
            foreach (var row in killed) copy[row >> 6] |= 1UL << row;
            dead = copy;
        }

        MappedFile? vectors = null;
        try
        {
            vectors = MappedFile.Map(_files.Vectors, manifest.VectorBytes);
            var payloads = MappedFile.Map(_files.Payloads, manifest.PayloadBytes);
            var snapshot = StoreSnapshot.Of(manifest, vectors, payloads, ids, offsets, dead);
            _manifest = manifest;
            Volatile.Write(ref _current, snapshot);
        }
        catch
        {
            vectors?.Dispose();
            throw;
        }
        old.Release();

        lock (_idsGate)
        {
            if (removedIds is not null)
                foreach (var id in removedIds) _rowsById.Remove(id);
            if (addedRows is not null)
                foreach (var (id, row) in addedRows) _rowsById[id] = row;
        }
    }
}
