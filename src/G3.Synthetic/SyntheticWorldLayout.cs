namespace G3.Synthetic;

/// <summary>
/// Where a generated world puts its files, relative to its output folder:
/// <code>
/// world.json                    settings and counts (no timestamps: same seed, same bytes)
/// mp16pro/metadata.csv          database split, MP16-Pro columns
/// mp16pro/images/db_0000000.jpg
/// im2gps3k/metadata.csv         query split, IM2GPS3K columns (IMG_ID, LAT, LON)
/// im2gps3k/images/q_000000.jpg
/// landmarks.csv                 IMG_ID,landmark,city of every photo that shows a landmark (both splits)
/// multiview/metadata.csv        optional multi-view query split: one row per place (IMG_ID = its first photo, LAT/LON = its landmark)
/// multiview/views.csv           IMG_ID,VIEWS,landmark: every photo of the place, ';'-separated, in view order
/// multiview/images/mv_00000_0.jpg
/// </code>
/// IMG_ID is the file name under the split's images/ folder.
/// </summary>
public static class SyntheticWorldLayout
{
    public const string ManifestFile = "world.json";
    public const string DatabaseDir = "mp16pro";
    public const string QueryDir = "im2gps3k";
    public const string MetadataFile = "metadata.csv";
    public const string ImagesDir = "images";

    public const string LandmarksFile = "landmarks.csv";

    public const string MultiViewDir = "multiview";
    public const string ViewsFile = "views.csv";

    public static string MultiView(string root) => Path.Combine(root, MultiViewDir);

    public static string Landmarks(string root) => Path.Combine(root, LandmarksFile);

    public static string DatabaseMetadata(string root) => Path.Combine(root, DatabaseDir, MetadataFile);

    public static string QueryMetadata(string root) => Path.Combine(root, QueryDir, MetadataFile);

    public static string DatabaseImages(string root) => Path.Combine(root, DatabaseDir, ImagesDir);

    public static string QueryImages(string root) => Path.Combine(root, QueryDir, ImagesDir);
}
