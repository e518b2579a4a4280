using System.Globalization;

namespace G3.Retrieval.Embedded.Hnsw;

/// <summary>
/// Configuration section <c>Store:Embedded:Hnsw</c>: the USearch HNSW index that <c>Store:Embedded:Index=hnsw</c>
/// puts beside the store's vectors. The defaults are the ones bench/ann.sh measured (docs/scale.md, "HNSW").
/// Connectivity, EfConstruction and Storage shape the file and take effect at the next build (<c>g3 index</c>);
/// Cells is used by the next build too; EfSearch, NearCandidates, NearCells, FarCells, FarRows and CellVectorsInMemory are read
/// when the store opens.
/// </summary>
public sealed class HnswSettings
{
    /// <summary>M: graph links per node. More links raise recall and build time and grow the file.</summary>
    public int Connectivity { get; set; } = 16;

    /// <summary>Candidates kept while linking a new node (build quality against build time).</summary>
    public int EfConstruction { get; set; } = 128;

    /// <summary>Candidates kept while searching for the most similar references (recall against latency).</summary>
    public int EfSearch { get; set; } = 128;

    /// <summary>
    /// Candidates the graph search returns for the most similar references, all rescored exactly from the store's
    /// vectors (at least the k asked for). Oversampling repairs the order a coarse index storage (Int8) gets wrong.
    /// </summary>
    public int NearCandidates { get; set; } = 40;

    /// <summary>
    /// Cells whose members join the graph's candidates for the most similar references: those with the most similar
    /// means (0: the graph alone). A safety net where the data falls into tight groups the graph links poorly inside.
    /// </summary>
    public int NearCells { get; set; } = 2;

    /// <summary>
    /// Cells the build groups the rows into (<see cref="CellIndex"/>, for the far end and NearCells); 0 means the square root of
    /// the row count, so a cell holds about as many rows as there are cells.
    /// </summary>
    public int Cells { get; set; }

    /// <summary>Cells whose members are scanned exactly for the least similar references: those with the least similar means.</summary>
    public int FarCells { get; set; } = 4;

    /// <summary>
    /// The least number of rows the far end scans: cells are added, least similar first, until FarCells cells and
    /// FarRows rows are taken. Small stores have small cells, and four of them are too few rows to hold the least
    /// similar (docs/scale.md); a store of at most FarRows rows has its far end scanned in full.
    /// </summary>
    public int FarRows { get; set; } = 8192;

    /// <summary>
    /// Whether the vectors in cell order (<see cref="CellVectors"/>) are read into this process's memory when the store
    /// opens (true) or served as a mapped view of their file (false: shared with other processes through the page cache,
    /// and several times slower to scan on the VM docs/scale.md measured).
    /// </summary>
    public bool CellVectorsInMemory { get; set; } = true;

    /// <summary>How the index stores its own copy of the vectors; results are always rescored from the store's vectors.</summary>
    public HnswStorage Storage { get; set; } = HnswStorage.Float16;

    /// <summary>Threads that build the index; 0 means every core.</summary>
    public int BuildThreads { get; set; }

    /// <summary>Every problem of these settings, each naming its key; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(problems, nameof(Connectivity), Connectivity, 2, 256);
        Check(problems, nameof(EfConstruction), EfConstruction, 8, 4096);
        Check(problems, nameof(EfSearch), EfSearch, 8, 4096);
        Check(problems, nameof(NearCandidates), NearCandidates, 1, 4096);
        Check(problems, nameof(NearCells), NearCells, 0, 1 << 20);
        Check(problems, nameof(Cells), Cells, 0, 1 << 20);
        Check(problems, nameof(FarCells), FarCells, 1, 1 << 20);
        Check(problems, nameof(FarRows), FarRows, 0, int.MaxValue);
        Check(problems, nameof(BuildThreads), BuildThreads, 0, 1024);
        if (!Enum.IsDefined(Storage))
            problems.Add($"Store:Embedded:Hnsw:Storage is '{Storage}'; it must be Float32, Float16, BFloat16 or Int8.");
        return problems;
    }

    internal int Threads => BuildThreads > 0 ? BuildThreads : Environment.ProcessorCount;

    /// <summary>The cells a build of <paramref name="rows"/> rows makes (at least one, at most one per row; none for no rows).</summary>
    internal int CellCount(int rows) => rows == 0 ? 0 : Math.Clamp(Cells > 0 ? Cells : (int)Math.Round(Math.Sqrt(rows)), 1, rows);

    private static void Check(List<string> problems, string key, int value, int min, int max)
    {
        if (value < min || value > max)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Store:Embedded:Hnsw:{key} is {value}; it must be between {min} and {max}."));
    }
}
