namespace G3.Retrieval.Embedded;

/// <summary>
/// Keeps the k best (score, row) pairs seen so far in a bounded heap whose root is the worst kept.
/// "Best" is the highest score, or the lowest for a least-similar search; equal scores prefer the lower
/// row, which makes results independent of how rows were split among threads.
/// </summary>
internal sealed class TopKCollector
{
    private readonly (float Key, int Row)[] _heap;
    private readonly bool _leastSimilar;
    private int _count;

    public TopKCollector(int k, bool leastSimilar)
    {
        _heap = new (float, int)[k];
        _leastSimilar = leastSimilar;
    }

    public void Offer(float score, int row)
    {
        // Least-similar is most-similar on the negated score; negation is exact in floating point.
        var key = _leastSimilar ? -score : score;
        if (_count < _heap.Length)
        {
            _heap[_count] = (key, row);
            SiftUp(_count++);
        }
        else if (Better(key, row, _heap[0].Key, _heap[0].Row))
        {
            _heap[0] = (key, row);
            SiftDown(0);
        }
    }

    /// <summary>Whether <paramref name="score"/> could displace the worst kept entry (ignoring row ties).</summary>
    public bool MightAccept(float score)
    {
        if (_count < _heap.Length) return true;
        var key = _leastSimilar ? -score : score;
        return key >= _heap[0].Key;
    }

    public void MergeFrom(TopKCollector other)
    {
        for (var i = 0; i < other._count; i++)
        {
            var (key, row) = other._heap[i];
            Offer(_leastSimilar ? -key : key, row);
        }
    }

    /// <summary>The kept entries, best first, as (similarity, row).</summary>
    public (float Score, int Row)[] ToSortedArray()
    {
        var result = new (float Key, int Row)[_count];
        Array.Copy(_heap, result, _count);
        Array.Sort(result, static (a, b) => Better(a.Key, a.Row, b.Key, b.Row) ? -1 : Better(b.Key, b.Row, a.Key, a.Row) ? 1 : 0);
        if (_leastSimilar)
            for (var i = 0; i < result.Length; i++) result[i].Key = -result[i].Key;
        return result;
    }

    private static bool Better(float key, int row, float otherKey, int otherRow) =>
        key > otherKey || (key == otherKey && row < otherRow);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Better(_heap[parent].Key, _heap[parent].Row, _heap[i].Key, _heap[i].Row)) break;
            (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var worst = i;
            var left = 2 * i + 1;
            var right = left + 1;
            if (left < _count && Better(_heap[worst].Key, _heap[worst].Row, _heap[left].Key, _heap[left].Row)) worst = left;
            if (right < _count && Better(_heap[worst].Key, _heap[worst].Row, _heap[right].Key, _heap[right].Row)) worst = right;
            if (worst == i) return;
            (_heap[worst], _heap[i]) = (_heap[i], _heap[worst]);
            i = worst;
        }
    }
}
