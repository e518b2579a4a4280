using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;

namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>
/// The rows grouped into cells (an inverted file): at build time spherical k-means groups the rows, and each cell
/// keeps its members and their mean. A member's similarity to a query is its cell mean's similarity plus its own
/// offset, so the least similar rows lie among the members of the cells whose means are least similar to the query
/// (and the most similar among those of the most similar cells); the store scans those members exactly. This is
/// how the far end is answered: the HNSW graph cannot answer it well, since the least similar rows are the nearest
/// to the negated query, which lies outside the data, where the graph's greedy search gets lost (recall@10 0.15 at
/// 1 M rows, docs/scale.md). The near end may add the nearest cells to the graph's candidates (NearCells).
/// </summary>
internal sealed class CellIndex
{
    private const string Magic = "G3CELLS1";

    /// <summary>Rows sampled per cell to train the k-means (the full assignment pass then sees every row).</summary>
    private const int SamplePerCell = 32;

    private const int Iterations = 8;

    /// <summary>Rows widened and scored against the means at a time (64 × 768 float32 = 192 KiB, inside L2).</summary>
    private const int BlockRows = 64;

    /// <summary>Means scored against a block at a time, so both stay in cache.</summary>
    private const int MeanChunk = 64;

    private readonly float[] _means;
    private readonly int[] _offsets;
    private readonly int[] _members;

    private CellIndex(int dimension, float[] means, int[] offsets, int[] members)
    {
        Dimension = dimension;
        _means = means;
        _offsets = offsets;
        _members = members;
    }

    public int Dimension { get; }

    /// <summary>How many cells.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Rows [0, Rows) are in some cell.</summary>
    public int Rows => _members.Length;

    /// <summary>The cells ordered from the least to the most similar mean to <paramref name="query"/> (scored once per query, for both ends).</summary>
    public int[] Order(ReadOnlySpan<float> query)
    {
        var dim = Dimension;
        var scores = new float[Count];
        for (var c = 0; c < scores.Length; c++) scores[c] = TensorPrimitives.Dot(query, _means.AsSpan(c * dim, dim));
        var order = new int[Count];
        for (var c = 0; c < order.Length; c++) order[c] = c;
        Array.Sort(scores, order);
        return order;
    }

    /// <summary>
    /// The first <paramref name="cells"/> non-empty cells of <paramref name="order"/> (from its end when
    /// <paramref name="fromEnd"/>: the most similar), and more cells while they hold fewer than <paramref name="minRows"/> rows.
    /// </summary>
    public List<int> Choose(int[] order, int cells, int minRows, bool fromEnd)
    {
        var chosen = new List<int>();
        var rows = 0;
        for (var i = 0; i < order.Length && (chosen.Count < cells || rows < minRows); i++)
        {
            var c = fromEnd ? order[^(i + 1)] : order[i];
            var members = _offsets[c + 1] - _offsets[c];
            if (members == 0) continue;
            chosen.Add(c);
            rows += members;
        }
        return chosen;
    }

    /// <summary>Cell <paramref name="cell"/>'s positions in the cell order: [Start, End) of <see cref="MembersInOrder"/>.</summary>
    public (int Start, int End) Range(int cell) => (_offsets[cell], _offsets[cell + 1]);

    /// <summary>Every row, cell by cell (ascending within a cell): the order of <see cref="CellVectors"/>.</summary>
    public int[] MembersInOrder => _members;

    /// <summary>Where each row sits in the cell order (the inverse of <see cref="MembersInOrder"/>), made on first use.</summary>
    public int[] Positions => LazyInitializer.EnsureInitialized(ref _positions, () =>
    {
        var positions = new int[_members.Length];
        for (var p = 0; p < _members.Length; p++) positions[_members[p]] = p;
        return positions;
    });

    private int[]? _positions;

    /// <summary>
    /// Groups rows [0, <paramref name="rows"/>) of <paramref name="snapshot"/> into <paramref name="cells"/> cells on
    /// <paramref name="threads"/> threads: k-means on a sample (deterministic), then every row assigned to its
    /// nearest centre, then each cell's mean taken over its members.
    /// </summary>
    public static CellIndex Build(StoreSnapshot snapshot, int rows, int cells, int threads, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cells, rows);
        if (cells == 0) return new CellIndex(snapshot.Dimension, [], [0], []);
        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 1);
        var dim = snapshot.Dimension;
        var random = new Random(1729);
        var sampleRows = Sample(rows, Math.Min(rows, cells * SamplePerCell), random);
        var sample = new float[(long)sampleRows.Length * dim];
        for (var i = 0; i < sampleRows.Length; i++) ReadRow(snapshot, sampleRows[i], sample.AsSpan(i * dim, dim));

        var centres = new float[cells * dim];
        Array.Copy(sample, centres, centres.Length);
        var sampleCells = new int[sampleRows.Length];
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Assign(centres, cells, dim, sampleRows.Length, threads, (i, buffer) => sample.AsSpan(i * dim, dim).CopyTo(buffer), sampleCells, cancellationToken);
            var sums = SumMembers(cells, dim, sampleCells, i => sample.AsSpan(i * dim, dim), out var counts);
            for (var c = 0; c < cells; c++)
            {
                var centre = centres.AsSpan(c * dim, dim);
                // An empty cell restarts from a random sampled row rather than staying dead.
                if (counts[c] == 0) sample.AsSpan(random.Next(sampleRows.Length) * dim, dim).CopyTo(centre);
                else sums.AsSpan(c * dim, dim).CopyTo(centre);
                var norm = TensorPrimitives.Norm(centre);
                if (norm > 0) TensorPrimitives.Divide(centre, norm, centre);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var assignment = new int[rows];
        Assign(centres, cells, dim, rows, threads, (row, buffer) => ReadRow(snapshot, row, buffer), assignment, cancellationToken);
        var offsets = new int[cells + 1];
        foreach (var c in assignment) offsets[c + 1]++;
        for (var c = 0; c < cells; c++) offsets[c + 1] += offsets[c];
        var members = new int[rows];
        var next = offsets[..^1];
        for (var row = 0; row < rows; row++) members[next[assignment[row]]++] = row;

        // The probe score is the mean of the members' similarities, so the means are not normalised.
        var buffer = new float[dim];
        var means = SumMembers(cells, dim, assignment, row => { ReadRow(snapshot, row, buffer); return buffer; }, out var sizes);
        for (var c = 0; c < cells; c++)
            if (sizes[c] > 0) TensorPrimitives.Divide(means.AsSpan(c * dim, dim), sizes[c], means.AsSpan(c * dim, dim));
        return new CellIndex(dim, means, offsets, members);
    }

    private static int[] Sample(int rows, int count, Random random)
    {
        var all = new int[rows];
        for (var i = 0; i < rows; i++) all[i] = i;
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, rows);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..count];
    }

    private static unsafe void ReadRow(StoreSnapshot snapshot, int row, Span<float> destination)
    {
        var dim = snapshot.Dimension;
        if (snapshot.Element == StoreElementType.Float16)
            TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)snapshot.VectorPointer + (long)row * dim, dim), destination);
        else new ReadOnlySpan<float>((float*)snapshot.VectorPointer + (long)row * dim, dim).CopyTo(destination);
    }

    /// <summary>cell[i] = the centre most similar to item i, for items [0, count), each read into a buffer by <paramref name="read"/>.</summary>
    private static unsafe void Assign(float[] centres, int cells, int dim, int count, int threads, Action<int, Span<float>> read, int[] cell,
        CancellationToken cancellationToken)
    {
        var blocks = (count + BlockRows - 1) / BlockRows;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
            () => (Rows: new float[BlockRows * dim], Scores: new float[cells * BlockRows]),
            (block, _, state) =>
            {
                var first = block * BlockRows;
                var n = Math.Min(BlockRows, count - first);
                for (var i = 0; i < n; i++) read(first + i, state.Rows.AsSpan(i * dim, dim));
                fixed (float* rowsPointer = state.Rows)
                fixed (float* centresPointer = centres)
                fixed (float* scores = state.Scores)
                {
                    for (var c0 = 0; c0 < cells; c0 += MeanChunk)
                    {
                        var m = Math.Min(MeanChunk, cells - c0);
                        if (WideKernels.IsSupported)
                            WideKernels.ScoreBlock(rowsPointer, n, centresPointer + (long)c0 * dim, m, dim, scores + (long)c0 * BlockRows, BlockRows);
                        else
                            DotKernels.ScoreBlock(rowsPointer, n, centresPointer + (long)c0 * dim, m, dim, scores + (long)c0 * BlockRows, BlockRows);
                    }
                    for (var i = 0; i < n; i++)
                    {
                        var best = 0;
                        for (var c = 1; c < cells; c++)
                            if (scores[c * BlockRows + i] > scores[best * BlockRows + i]) best = c;
                        cell[first + i] = best;
                    }
                }
                return state;
            },
            _ => { });
    }

    /// <summary>The sum of each cell's members (cells × dim) and how many each has.</summary>
    private static float[] SumMembers(int cells, int dim, int[] cell, Func<int, ReadOnlySpan<float>> vector, out int[] counts)
    {
        var sums = new float[cells * dim];
        counts = new int[cells];
        for (var i = 0; i < cell.Length; i++)
        {
            var sum = sums.AsSpan(cell[i] * dim, dim);
            TensorPrimitives.Add(sum, vector(i), sum);
            counts[cell[i]]++;
        }
        return sums;
    }

    /// <summary>Writes the cells to <paramref name="path"/> and flushes them to disk (the caller renames the file into place).</summary>
    public void Save(string path)
    {
        var header = new byte[Magic.Length + 3 * sizeof(int)];
        Encoding.ASCII.GetBytes(Magic, header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Magic.Length), Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Magic.Length + 4), Count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Magic.Length + 8), Rows);
        var parts = new[] { header, MemoryMarshal.AsBytes(_means.AsSpan()).ToArray(), MemoryMarshal.AsBytes(_offsets.AsSpan()).ToArray(), MemoryMarshal.AsBytes(_members.AsSpan()).ToArray() };
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var crc = 0u;
        foreach (var part in parts)
        {
            stream.Write(part);
            crc = Crc32C.Append(crc, part);
        }
        var trailer = new byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        stream.Write(trailer);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The cells saved at <paramref name="path"/>, or null when the file is absent, damaged, or not of this shape.</summary>
    public static CellIndex? TryLoad(string path, int dimension, int rows)
    {
        if (!BitConverter.IsLittleEndian || !File.Exists(path)) return null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var headerLength = Magic.Length + 3 * sizeof(int);
        if (bytes.Length < headerLength + sizeof(uint) || Encoding.ASCII.GetString(bytes, 0, Magic.Length) != Magic) return null;
        var dim = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length));
        var cells = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length + 4));
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length + 8));
        if (dim != dimension || count != rows || cells < Math.Min(1, rows) || cells > rows) return null;
        var expected = headerLength + ((long)cells * dim + cells + 1 + rows) * sizeof(int) + sizeof(uint);
        if (bytes.Length != expected) return null;
        var body = bytes.AsSpan(0, bytes.Length - sizeof(uint));
        if (Crc32C.Append(0, body) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(body.Length))) return null;
        var at = headerLength;
        var means = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(at, cells * dim * sizeof(float))).ToArray();
        at += cells * dim * sizeof(float);
        var offsets = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(at, (cells + 1) * sizeof(int))).ToArray();
        at += (cells + 1) * sizeof(int);
        var members = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(at, rows * sizeof(int))).ToArray();
        if (offsets[0] != 0 || offsets[cells] != rows) return null;
        for (var c = 0; c < cells; c++)
            if (offsets[c + 1] < offsets[c]) return null;
        foreach (var row in members)
            if ((uint)row >= (uint)rows) return null;
        return new CellIndex(dim, means, offsets, members);
    }
}
