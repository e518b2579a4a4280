namespace G3.Geography.Index;

/// <summary>
/// Point-in-polygon over many polygons through a 1°×1° grid. For every cell and every polygon
/// touching it, the index knows whether the cell's centre is inside (found once per grid row by a
/// scanline) and which polygon edges cross the cell. A query then only counts the crossings of the
/// short segment from the point to its cell's centre with those few edges: inside(point) =
/// inside(centre) XOR (odd crossings). Most land cells have no edges at all and answer at once.
/// Polygons use even-odd filling over all their rings, so holes and multi-part shapes just work.
/// </summary>
internal sealed class PolygonGridIndex
{
    private const int Cols = 360, Rows = 180;

    private readonly Entry[]?[] _cells = new Entry[]?[Cols * Rows];
    private readonly double[][] _rings; // all rings of all polygons, lon,lat interleaved

    private readonly record struct Entry(int Polygon, bool CentreInside, int[] Edges); // edge = ring << 20 | vertex

    /// <param name="polygons">Per polygon, its rings (interleaved lon,lat). Earlier polygons win where they overlap.</param>
    public PolygonGridIndex(IReadOnlyList<IReadOnlyList<double[]>> polygons)
    {
        var rings = new List<double[]>();
        var perCell = new Dictionary<int, List<Entry>>();
        for (int p = 0; p < polygons.Count; p++)
        {
            var first = rings.Count;
            rings.AddRange(polygons[p]);
            AddPolygon(p, rings, first, rings.Count, perCell);
        }
        _rings = [.. rings];
        foreach (var (cell, list) in perCell)
            _cells[cell] = [.. list.OrderBy(e => e.Polygon)];
    }

    /// <summary>The first polygon containing the point, or -1.</summary>
    public int Find(double lat, double lon)
    {
        // Keep queries off the map's own edges: polygons are closed along ±180° and ±90°, where a
        // point exactly on the frame would sit on an edge and count as outside.
        lat = Math.Clamp(lat, -89.99, 89.99);
        lon = Math.Clamp(lon, -179.999, 179.999);
        var col = Math.Clamp((int)Math.Floor(lon + 180), 0, Cols - 1);
        var row = Math.Clamp((int)Math.Floor(lat + 90), 0, Rows - 1);
        var entries = _cells[row * Cols + col];
        if (entries is null) return -1;
        double cx = col - 180 + 0.5, cy = row - 90 + 0.5;
        foreach (var e in entries)
        {
            var inside = e.CentreInside;
            foreach (var edge in e.Edges)
            {
                var ring = _rings[edge >> 20];
                var i = (edge & 0xFFFFF) * 2;
                if (SegmentsCross(lon, lat, cx, cy, ring[i], ring[i + 1], ring[i + 2], ring[i + 3])) inside = !inside;
            }
            if (inside) return e.Polygon;
        }
        return -1;
    }

    private static void AddPolygon(int polygon, List<double[]> rings, int firstRing, int endRing, Dictionary<int, List<Entry>> perCell)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        var edgesPerCell = new Dictionary<int, List<int>>();
        for (int r = firstRing; r < endRing; r++)
        {
            var ring = rings[r];
            if (ring.Length >= 1 << 21) throw new GeographyDataException("a border ring has too many vertices for the index");
            for (int v = 0; v + 3 < ring.Length; v += 2)
            {
                double x0 = ring[v], y0 = ring[v + 1], x1 = ring[v + 2], y1 = ring[v + 3];
                minX = Math.Min(minX, Math.Min(x0, x1)); maxX = Math.Max(maxX, Math.Max(x0, x1));
                minY = Math.Min(minY, Math.Min(y0, y1)); maxY = Math.Max(maxY, Math.Max(y0, y1));
                // Conservative: every cell the edge's bounding box touches lists the edge.
                foreach (var cell in CellsOf(Math.Min(x0, x1), Math.Min(y0, y1), Math.Max(x0, x1), Math.Max(y0, y1)))
                {
                    if (!edgesPerCell.TryGetValue(cell, out var list)) edgesPerCell[cell] = list = [];
                    list.Add(r << 20 | v / 2);
                }
            }
        }
        if (minX > maxX) return;

        var rowLo = Math.Clamp((int)Math.Floor(minY + 90), 0, Rows - 1);
        var rowHi = Math.Clamp((int)Math.Floor(maxY + 90), 0, Rows - 1);
        var colLo = Math.Clamp((int)Math.Floor(minX + 180), 0, Cols - 1);
        var colHi = Math.Clamp((int)Math.Floor(maxX + 180), 0, Cols - 1);
        var crossings = new List<double>();
        for (int row = rowLo; row <= rowHi; row++)
        {
            // Scanline through the row's centre: the x of every edge crossing it, sorted.
            var cy = row - 90 + 0.5;
            crossings.Clear();
            for (int r = firstRing; r < endRing; r++)
            {
                var ring = rings[r];
                for (int v = 0; v + 3 < ring.Length; v += 2)
                {
                    double x0 = ring[v], y0 = ring[v + 1], x1 = ring[v + 2], y1 = ring[v + 3];
                    if (y0 > cy == y1 > cy) continue;
                    crossings.Add(x0 + (cy - y0) * (x1 - x0) / (y1 - y0));
                }
            }
            crossings.Sort();
            var left = 0; // crossings west of the current centre; centres move east, so it only grows
            for (int col = colLo; col <= colHi; col++)
            {
                var cx = col - 180 + 0.5;
                while (left < crossings.Count && crossings[left] < cx) left++;
                var centreInside = (left & 1) == 1;
                var cell = row * Cols + col;
                var hasEdges = edgesPerCell.TryGetValue(cell, out var edges);
                if (!centreInside && !hasEdges) continue;
                if (!perCell.TryGetValue(cell, out var list)) perCell[cell] = list = [];
                list.Add(new Entry(polygon, centreInside, hasEdges ? [.. edges!] : []));
            }
        }
    }

    private static IEnumerable<int> CellsOf(double minX, double minY, double maxX, double maxY)
    {
        var c0 = Math.Clamp((int)Math.Floor(minX + 180), 0, Cols - 1);
        var c1 = Math.Clamp((int)Math.Floor(maxX + 180), 0, Cols - 1);
        var r0 = Math.Clamp((int)Math.Floor(minY + 90), 0, Rows - 1);
        var r1 = Math.Clamp((int)Math.Floor(maxY + 90), 0, Rows - 1);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++)
                yield return r * Cols + c;
    }

    /// <summary>
    /// Whether segment PQ crosses edge AB. Half-open in the edge's direction so a segment through a
    /// shared vertex counts once, matching the scanline's rule closely enough for simplified borders.
    /// </summary>
    private static bool SegmentsCross(double px, double py, double qx, double qy, double ax, double ay, double bx, double by)
    {
        var d1 = Orient(ax, ay, bx, by, px, py);
        var d2 = Orient(ax, ay, bx, by, qx, qy);
        if (d1 > 0 == d2 > 0) return false;
        var d3 = Orient(px, py, qx, qy, ax, ay);
        var d4 = Orient(px, py, qx, qy, bx, by);
        return d3 > 0 != d4 > 0;
    }

    private static double Orient(double ax, double ay, double bx, double by, double cx, double cy) =>
        (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}
