using System.Text.Json;

namespace G3.Geography.Data;

/// <summary>
/// Reads world-atlas' land-50m.json (TopoJSON): quantized, delta-encoded arcs shared between
/// rings; a ring lists arc indices, ~i meaning arc i reversed. Returns every ring of the "land"
/// object as interleaved lon,lat pairs (Natural Earth 1:50m coastline).
/// </summary>
internal static class TopoJsonLandReader
{
    public static List<double[]> ReadRings(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var transform = root.GetProperty("transform");
        double sx = transform.GetProperty("scale")[0].GetDouble(), sy = transform.GetProperty("scale")[1].GetDouble();
        double tx = transform.GetProperty("translate")[0].GetDouble(), ty = transform.GetProperty("translate")[1].GetDouble();

        var arcs = new List<double[]>();
        foreach (var arc in root.GetProperty("arcs").EnumerateArray())
        {
            var xy = new double[arc.GetArrayLength() * 2];
            long qx = 0, qy = 0;
            int i = 0;
            foreach (var d in arc.EnumerateArray())
            {
                qx += d[0].GetInt64();
                qy += d[1].GetInt64();
                xy[i++] = qx * sx + tx;
                xy[i++] = qy * sy + ty;
            }
            arcs.Add(xy);
        }

        var rings = new List<double[]>();
        var land = root.GetProperty("objects").GetProperty("land");
        var geometries = land.TryGetProperty("geometries", out var gs) ? gs.EnumerateArray().ToList() : [land];
        foreach (var g in geometries)
        {
            var type = g.GetProperty("type").GetString();
            var polygons = type == "MultiPolygon" ? g.GetProperty("arcs").EnumerateArray().ToList()
                : type == "Polygon" ? [g.GetProperty("arcs")] : [];
            foreach (var polygon in polygons)
                foreach (var ring in polygon.EnumerateArray())
                    rings.Add(Stitch(ring, arcs));
        }
        return rings;
    }

    private static bool OnMeridian(double x) => Math.Abs(x) >= 179.9999;

    /// <summary>
    /// Quantization writes the antimeridian as -180 or 180 regardless of the side a ring is on
    /// (Antarctica's polar edge starts at "-180" and heads west from 180). A ±180 vertex takes the
    /// side of its nearest off-meridian vertex in the ring, looking at its predecessor first.
    /// </summary>
    private static void FixAntimeridianSigns(double[] xy)
    {
        var n = xy.Length / 2;
        for (int i = 0; i < n; i++)
        {
            if (!OnMeridian(xy[2 * i])) continue;
            for (int k = 1; k < n; k++)
            {
                int before = i - k, after = i + k;
                if (before >= 0 && !OnMeridian(xy[2 * before])) { xy[2 * i] = Math.CopySign(180, xy[2 * before]); break; }
                if (after < n && !OnMeridian(xy[2 * after])) { xy[2 * i] = Math.CopySign(180, xy[2 * after]); break; }
                if (before < 0 && after >= n) break;
            }
        }
    }

    /// <summary>
    /// Rings cut at the antimeridian jump across the map (Eurasia's ring steps from -180 to
    /// 179.8 in Chukotka; Antarctica's coast and polar edge are open rings). Every edge spanning
    /// more than 180° of longitude is routed over the top of the map instead, p → (±180, y*) →
    /// (±180, 90) → (∓180, 90) → (∓180, y*) → q, and every ring is closed: under even-odd filling
    /// the vertical pieces along ±180 then pair up into exactly the meridian edges the cut lacks.
    /// </summary>
    private static double[] BridgeJumps(double[] xy)
    {
        var pts = new List<double>(xy.Length + 16);
        var n = xy.Length / 2;
        for (int i = 0; i < n; i++)
        {
            if (i > 0) AddBridge(pts, xy[2 * i - 2], xy[2 * i - 1], xy[2 * i], xy[2 * i + 1]);
            pts.Add(xy[2 * i]);
            pts.Add(xy[2 * i + 1]);
        }
        if (n > 0 && (xy[0] != xy[^2] || xy[1] != xy[^1]))
        {
            AddBridge(pts, xy[^2], xy[^1], xy[0], xy[1]);
            pts.Add(xy[0]);
            pts.Add(xy[1]);
        }
        return [.. pts];
    }

    private static void AddBridge(List<double> pts, double px, double py, double qx, double qy)
    {
        if (Math.Abs(qx - px) <= 180) return;
        var fromSide = px < 0 ? -180.0 : 180.0;
        var unwrappedQx = qx + 2 * fromSide; // q seen from p's side of the map
        var t = unwrappedQx == px ? 0 : (fromSide - px) / (unwrappedQx - px);
        var y = py + t * (qy - py);
        pts.AddRange([fromSide, y, fromSide, 90, -fromSide, 90, -fromSide, y]);
    }

    private static double[] Stitch(JsonElement ring, List<double[]> arcs)
    {
        var points = new List<double>();
        foreach (var a in ring.EnumerateArray())
        {
            var index = a.GetInt32();
            var arc = arcs[index < 0 ? ~index : index];
            var n = arc.Length / 2;
            // Consecutive arcs share their joining point: skip it on all but the first arc.
            for (int k = points.Count == 0 ? 0 : 1; k < n; k++)
            {
                var j = index < 0 ? n - 1 - k : k;
                points.Add(arc[2 * j]);
                points.Add(arc[2 * j + 1]);
            }
        }
        var xy = points.ToArray();
        FixAntimeridianSigns(xy);
        return BridgeJumps(xy);
    }
}
