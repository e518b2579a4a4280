using G3.Core.Geo;

namespace G3.Geography.Index;

/// <summary>
/// A static k-d tree over points on the unit sphere (x, y, z), so nearest-neighbour search is
/// exact everywhere, including across the antimeridian and at the poles where lat/lon grids
/// break down. Chord length is monotonic in great-circle distance. The tree is implicit: the
/// median of each range sits at its middle, splitting on x, y, z by depth.
/// </summary>
internal sealed class CityKdTree
{
    private readonly float[] _x, _y, _z;
    private readonly int[] _item;   // index into the caller's item list
    private readonly int[] _group;  // the item's group (its country); queries may ask for one group only

    public CityKdTree(IReadOnlyList<GeoPoint> points, IReadOnlyList<int> groups, IReadOnlyList<int> items)
    {
        var n = items.Count;
        _x = new float[n];
        _y = new float[n];
        _z = new float[n];
        _item = new int[n];
        _group = new int[n];
        for (int i = 0; i < n; i++)
        {
            var (x, y, z) = ToUnit(points[items[i]]);
            _x[i] = (float)x;
            _y[i] = (float)y;
            _z[i] = (float)z;
            _item[i] = items[i];
            _group[i] = groups[items[i]];
        }
        Build(0, n, 0);
    }

    public int Count => _item.Length;

    /// <summary>
    /// The nearest item of <paramref name="group"/> (any when negative) within
    /// <paramref name="maxKm"/>, or -1. Distances are returned in km along the great circle.
    /// </summary>
    public int Nearest(GeoPoint p, double maxKm, int group, out double distanceKm)
    {
        var (x, y, z) = ToUnit(p);
        var maxChord = ChordFromKm(Math.Min(maxKm, Math.PI * GreatCircle.MeanEarthRadiusKm));
        var state = new Search((float)x, (float)y, (float)z, (float)(maxChord * maxChord) * 1.0001f + 1e-12f, group);
        Visit(0, _item.Length, 0, ref state);
        if (state.Best < 0)
        {
            distanceKm = double.NaN;
            return -1;
        }
        distanceKm = KmFromChord(Math.Sqrt(state.BestD2));
        if (distanceKm > maxKm)
        {
            distanceKm = double.NaN;
            return -1;
        }
        return _item[state.Best];
    }

    private struct Search(float x, float y, float z, float maxD2, int group)
    {
        public readonly float X = x, Y = y, Z = z;
        public readonly int Group = group;
        public float BestD2 = maxD2;
        public int Best = -1;
    }

    private void Visit(int lo, int hi, int depth, ref Search s)
    {
        while (hi > lo)
        {
            var mid = (lo + hi) >> 1;
            float dx = _x[mid] - s.X, dy = _y[mid] - s.Y, dz = _z[mid] - s.Z;
            var d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < s.BestD2 && (s.Group < 0 || _group[mid] == s.Group))
            {
                s.BestD2 = d2;
                s.Best = mid;
            }
            var axis = depth % 3;
            var diff = axis == 0 ? dx : axis == 1 ? dy : dz; // node minus query along the split axis
            // Query below the split (diff > 0): the lower half first, the upper only if the plane is in reach.
            int nearLo, nearHi, farLo, farHi;
            if (diff > 0) { nearLo = lo; nearHi = mid; farLo = mid + 1; farHi = hi; }
            else { nearLo = mid + 1; nearHi = hi; farLo = lo; farHi = mid; }
            Visit(nearLo, nearHi, depth + 1, ref s);
            if (diff * diff >= s.BestD2) return;
            lo = farLo;
            hi = farHi;
            depth++;
        }
    }

    private void Build(int lo, int hi, int depth)
    {
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >> 1;
            Select(lo, hi - 1, mid, depth % 3);
            Build(lo, mid, depth + 1);
            lo = mid + 1;
            depth++;
        }
    }

    private float Key(int i, int axis) => axis == 0 ? _x[i] : axis == 1 ? _y[i] : _z[i];

    /// <summary>Quickselect: puts the k-th smallest along the axis at k, smaller before, larger after.</summary>
    private void Select(int lo, int hi, int k, int axis)
    {
        while (hi > lo)
        {
            var pivot = Key((lo + hi) >> 1, axis);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (Key(i, axis) < pivot) i++;
                while (Key(j, axis) > pivot) j--;
                if (i <= j) Swap(i++, j--);
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    private void Swap(int a, int b)
    {
        (_x[a], _x[b]) = (_x[b], _x[a]);
        (_y[a], _y[b]) = (_y[b], _y[a]);
        (_z[a], _z[b]) = (_z[b], _z[a]);
        (_item[a], _item[b]) = (_item[b], _item[a]);
        (_group[a], _group[b]) = (_group[b], _group[a]);
    }

    internal static (double X, double Y, double Z) ToUnit(GeoPoint p)
    {
        var phi = GreatCircle.DegreesToRadians(p.Latitude);
        var lambda = GreatCircle.DegreesToRadians(p.Longitude);
        var c = Math.Cos(phi);
        return (c * Math.Cos(lambda), c * Math.Sin(lambda), Math.Sin(phi));
    }

    private static double ChordFromKm(double km) => 2 * Math.Sin(km / (2 * GreatCircle.MeanEarthRadiusKm));

    private static double KmFromChord(double chord) => 2 * GreatCircle.MeanEarthRadiusKm * Math.Asin(Math.Min(1, chord / 2));
}
