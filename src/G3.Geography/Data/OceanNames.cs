namespace G3.Geography.Data;

/// <summary>
/// A cheap, approximate name for open water from latitude/longitude boxes alone (no coastline
/// data): good for "which ocean", not for seas or bays near a coast.
/// </summary>
internal static class OceanNames
{
    public static string Name(double lat, double lon)
    {
        if (lat >= 66) return "Arctic Ocean";
        if (lat <= -60) return "Southern Ocean";
        if (lat is > 30 and < 46 && lon is > -6 and < 36) return "Mediterranean Sea";
        // The Atlantic: between the Americas and Europe/Africa; the Gulf of Mexico and Caribbean count.
        if (lon is >= -70 and < 20) return "Atlantic Ocean";
        if (lon is >= -100 and < -70 && lat > 8) return "Atlantic Ocean";
        // The Indian Ocean: south of Asia, between Africa and Australia; east Asian seas are Pacific.
        if (lon is >= 20 and < 147 && lat < 30 && !(lon > 100 && lat > 0)) return "Indian Ocean";
        return "Pacific Ocean";
    }
}
