using System.Globalization;
using System.Text;
using G3.Synthetic.Rendering;
using G3.Synthetic.World;

namespace G3.Synthetic.Describing;

/// <summary>
/// An MP16-Pro-style text description of a synthetic photo: the reverse-geocoded place (some levels,
/// chosen per photo, as a caption would name them) and what the renderer drew there: the climate's
/// landscape, the country's buildings (roof kind, wall colour, height), the region's street look
/// (door/awning accent, pavement, street signs) and the landmark, named after its city. Every
/// clause comes from the scene the photo was rendered from, so the text describes the same cues a
/// model sees in the pixels. The wording (which clauses, their order) is drawn from
/// <paramref name="rng"/> only, so a description is deterministic per photo.
/// </summary>
public static class PlaceDescriber
{
    public static string Describe(PhotoRecord record, PhotoScene scene, ref SplitMix rng)
    {
        var clauses = new List<string>();
        var place = PlaceClause(record, ref rng);
        if (scene.Indoor)
        {
            // Indoor photos show nothing of the street: only the caption's place, if any, says where.
            clauses.Add(place is null ? "An indoor photo." : $"An indoor photo taken in {place}.");
            return string.Join(' ', clauses);
        }
        var landmark = scene.Landmark is { } l && record.LandmarkId is { } id ? LandmarkName(l, record.LandmarkCity, id) : null;
        clauses.Add(Opening(record, place, landmark, ref rng));
        var cues = new List<string>
        {
            Landscape(scene.Climate.Biome, scene.Urban),
            Buildings(scene.Architecture),
            Street(scene.City, ref rng),
        };
        // Keep two or three cue clauses in a per-photo order, as captions vary in what they mention.
        Shuffle(cues, ref rng);
        var keep = rng.Chance(0.5) ? 3 : 2;
        clauses.AddRange(cues.Take(keep));
        return string.Join(' ', clauses);
    }

    /// <summary>The landmark's name: its colour and silhouette, and its city ("the teal Twin Towers of Lagos").</summary>
    public static string LandmarkName(Landmark landmark, string? city, string landmarkId)
    {
        var kind = landmark.Kind switch
        {
            LandmarkKind.Spire => "Spire",
            LandmarkKind.Dome => "Dome",
            LandmarkKind.Arch => "Arch",
            LandmarkKind.Pyramid => "Pyramid",
            LandmarkKind.TwinTowers => "Twin Towers",
            _ => "Wheel",
        };
        var site = landmarkId[(landmarkId.LastIndexOf('-') + 1)..];
        var number = int.TryParse(site, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? " " + Ordinal(n + 1) : "";
        return $"the {ColourNames.Name(landmark.Colour)}{number} {kind} of {city ?? "the city"}";
    }

    private static string Ordinal(int n) => n switch { 2 => "second", 3 => "third", 4 => "fourth", _ => n.ToString(CultureInfo.InvariantCulture) + "th" };

    /// <summary>Some of the place's levels, most specific first; null when the caption names none.</summary>
    private static string? PlaceClause(PhotoRecord record, ref SplitMix rng)
    {
        var p = record.Place;
        // 0: no place name, 1: country only, 2: region and country, 3: city and country, 4: the full hierarchy.
        var detail = rng.NextInt(5);
        string?[] parts = detail switch
        {
            0 => [],
            1 => [p.Country],
            2 => [p.State, p.Country],
            3 => [p.City, p.Country],
            _ => [p.Neighbourhood, p.City, p.State, p.Country],
        };
        var named = parts.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal).ToList();
        return named.Count == 0 ? null : string.Join(", ", named);
    }

    private static string Opening(PhotoRecord record, string? place, string? landmark, ref SplitMix rng)
    {
        var kind = landmark is not null ? "A view of " + landmark
            : rng.Chance(0.5) ? "A street photo" : "A photo of a street";
        if (place is null) return kind + ".";
        if (landmark is null && record.Place.Continent is { } continent && rng.Chance(0.2))
            return $"{kind} in {place}, {continent}.";
        return $"{kind} in {place}.";
    }

    private static string Landscape(Biome biome, double urban)
    {
        var setting = urban switch { < 0.3 => "countryside", < 0.6 => "town", _ => "busy city street" };
        var land = biome switch
        {
            Biome.Polar => "snow and ice, a low pale sun",
            Biome.Boreal => "dark conifer forest and a low sun",
            Biome.Temperate => "green fields and leafy trees",
            Biome.Arid => "sandy desert ground and sparse shrubs",
            _ => "lush tropical greenery and a high sun",
        };
        return Capital($"{Article(setting)} {setting} with {land}.");
    }

    private static string Buildings(ArchitectureStyle a)
    {
        var roof = a.Roof switch
        {
            RoofKind.Flat => "flat roofs",
            RoofKind.Gabled => "gabled roofs",
            RoofKind.Dome => "domed roofs",
            _ => "pagoda roofs",
        };
        var height = a.Floors switch { < 4 => "low", < 8 => "mid-rise", _ => "tall" };
        return $"The buildings are {height}, with {ColourNames.Name(a.Walls[0])} walls and {ColourNames.Name(a.RoofColour)} {roof}.";
    }

    private static string Street(CityStyle c, ref SplitMix rng)
    {
        var accent = ColourNames.Name(c.Accent);
        var doors = rng.Chance(0.5) ? $"{accent} doors and awnings" : $"{accent} awnings and doors";
        return Capital($"{doors}, {ColourNames.Name(c.Pavement)} pavement and {ColourNames.Name(c.Sign)} street signs.");
    }

    private static string Article(string word) => "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static void Shuffle(List<string> items, ref SplitMix rng)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
