namespace G3.Synthetic.Rendering;

/// <summary>
/// Draws a <see cref="PhotoScene"/>: sky, distant hills, ground, a row of buildings in the
/// country's style with the region's door/awning colours, pavement and street sign, a landmark
/// seen from the photographer's spot, vegetation of the biome; or an indoor portrait-like shot
/// with no place cue. Viewpoint (horizon height, scale, offset, crop), light and exposure vary per
/// photo through <paramref name="rng"/>.
/// </summary>
public static class SceneRenderer
{
    public static void Render(Canvas canvas, PhotoScene scene, ref SplitMix rng)
    {
        if (scene.Indoor) RenderIndoor(canvas, ref rng);
        else RenderOutdoor(canvas, scene, ref rng);

        // Light: the climate's sun colour, time-of-day exposure, a random white-balance drift.
        var exposure = (float)rng.Range(0.75, 1.15);
        var drift = new Rgb((float)rng.Range(0.95, 1.05), 1f, (float)rng.Range(0.95, 1.05));
        canvas.Tint(scene.Indoor ? drift.Scale(exposure) : scene.Climate.Light.Times(drift).Scale(exposure));
    }

    private static void RenderOutdoor(Canvas c, PhotoScene scene, ref SplitMix rng)
    {
        var s = c.Size;
        var cl = scene.Climate;
        var horizon = s * rng.Range(0.42, 0.68);
        var scale = rng.Range(0.7, 1.3);  // zoom: how big buildings look

        c.VerticalGradient(0, (int)horizon + 1, cl.SkyTop, cl.SkyHorizon);
        if (rng.Chance(0.4)) // sun or bright haze spot
            c.FillEllipse(rng.Range(0, s), horizon * rng.Range(0.1, 1 - cl.SunElevationDeg / 120), s * 0.05, s * 0.05, new Rgb(1f, 0.97f, 0.85f), 0.8f);
        for (int i = rng.NextInt(4); i > 0; i--) // clouds
            c.FillEllipse(rng.Range(0, s), horizon * rng.Range(0.1, 0.6), s * rng.Range(0.08, 0.2), s * rng.Range(0.02, 0.05), new Rgb(0.96f, 0.96f, 0.98f), 0.7f);

        DrawHills(c, horizon, cl, ref rng);
        c.VerticalGradient((int)horizon, s, cl.GroundFar, cl.Ground);

        if (scene.Landmark is { } landmark)
        {
            // Closer photographers see a bigger landmark, often cropped by the frame.
            var view = scale * (0.55 + 1.3 * scene.LandmarkCloseness);
            DrawLandmark(c, landmark, horizon, view, ref rng);
        }
        var buildings = (int)Math.Round(scene.Urban * rng.Range(4, 9) * (scene.Landmark is null ? 1 : 0.5));
        DrawBuildings(c, scene.Architecture, scene.City, buildings, horizon, scale, ref rng);
        if (scene.Urban > 0.3) DrawStreet(c, scene.City, scale, ref rng);
        DrawVegetation(c, cl, (int)Math.Round((1.2 - scene.Urban) * rng.Range(2, 8)), horizon, scale, ref rng);
    }

    /// <summary>A pavement strip along the bottom and, often, a street sign: the region's tones.</summary>
    private static void DrawStreet(Canvas c, CityStyle city, double scale, ref SplitMix rng)
    {
        var s = c.Size;
        var top = s * rng.Range(0.86, 0.95);
        c.FillRect(0, top, s, s, city.Pavement);
        c.FillRect(0, top, s, top + Math.Max(1, s * 0.008), city.Pavement.Scale(0.7f));
        if (rng.Chance(0.7))
        {
            var x = s * rng.Range(0.05, 0.95);
            var h = s * 0.22 * scale;
            c.FillRect(x - s * 0.006, top - h, x + s * 0.006, top, new Rgb(0.3f, 0.3f, 0.32f));
            c.FillRect(x - s * 0.05 * scale, top - h, x + s * 0.05 * scale, top - h + s * 0.04 * scale, city.Sign);
        }
    }

    private static void DrawHills(Canvas c, double horizon, ClimateStyle cl, ref SplitMix rng)
    {
        var s = c.Size;
        var colour = Rgb.Lerp(cl.GroundFar, cl.SkyHorizon, 0.45f);
        if (cl.Biome == Biome.Polar) colour = new Rgb(0.85f, 0.88f, 0.93f);
        var amp = s * rng.Range(0.02, cl.Biome is Biome.Boreal or Biome.Polar ? 0.2 : 0.1);
        double f1 = rng.Range(1, 4), f2 = rng.Range(4, 9), p1 = rng.Range(0, 6.3), p2 = rng.Range(0, 6.3);
        var poly = new double[(16 + 3) * 2];
        int k = 0;
        for (int i = 0; i <= 16; i++)
        {
            var x = s * i / 16.0;
            var t = i / 16.0 * Math.PI * 2;
            poly[k++] = x;
            poly[k++] = horizon - amp * (0.6 + 0.3 * Math.Sin(f1 * t + p1) + 0.15 * Math.Sin(f2 * t + p2));
        }
        poly[k++] = s; poly[k++] = horizon + 1;
        poly[k++] = 0; poly[k++] = horizon + 1;
        c.FillPolygon(poly, colour);
    }

    private static void DrawBuildings(Canvas c, ArchitectureStyle a, CityStyle city, int count, double horizon, double scale, ref SplitMix rng)
    {
        var s = c.Size;
        var x = rng.Range(-0.2, 0.1) * s;
        for (int i = 0; i < count && x < s; i++)
        {
            var w = s * 0.16 * a.Width * scale * rng.Range(0.7, 1.3);
            var floors = Math.Max(1, a.Floors * rng.Range(0.6, 1.4));
            var floorH = s * 0.035 * scale;
            var h = floors * floorH;
            var baseY = horizon + s * rng.Range(0.05, 0.2) * scale;
            var top = baseY - h;
            var wall = a.Walls[rng.NextInt(a.Walls.Length)].Scale((float)rng.Range(0.9, 1.05));
            c.FillRect(x, top, x + w, baseY, wall);
            // Windows: a grid whose density is the country's.
            var cols = Math.Max(1, (int)(w / (s * 0.045) * a.WindowDensity * 1.6));
            var rows = (int)floors;
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < cols; k++)
                {
                    var wx = x + (k + 0.3) * w / cols;
                    var wy = top + (r + 0.3) * floorH;
                    c.FillRect(wx, wy, wx + 0.45 * w / cols, wy + 0.45 * floorH, a.Window);
                }
            // Ground floor: an awning and a door in the region's accent colour.
            c.FillRect(x, baseY - floorH * 1.25, x + w, baseY - floorH * 1.05, city.Accent.Scale(0.85f));
            var door = x + w * rng.Range(0.2, 0.6);
            c.FillRect(door, baseY - floorH * 0.95, door + w * 0.18, baseY, city.Accent);
            DrawRoof(c, a, x, top, w, ref rng);
            // Shade one side: the sun comes from one direction in a photo.
            c.FillRect(x + w * 0.85, top, x + w, baseY, new Rgb(0, 0, 0), 0.25f);
            x += w * rng.Range(0.95, 1.4);
        }
    }

    private static void DrawRoof(Canvas c, ArchitectureStyle a, double x, double top, double w, ref SplitMix rng)
    {
        switch (a.Roof)
        {
            case RoofKind.Flat:
                c.FillRect(x - w * 0.03, top - w * 0.05, x + w * 1.03, top, a.RoofColour);
                break;
            case RoofKind.Gabled:
                c.FillPolygon([x - w * 0.05, top, x + w / 2, top - w * rng.Range(0.3, 0.55), x + w * 1.05, top], a.RoofColour);
                break;
            case RoofKind.Dome:
                c.FillEllipse(x + w / 2, top, w * 0.35, w * 0.3, a.RoofColour);
                break;
            case RoofKind.Pagoda:
                var rise = w * 0.35;
                c.FillPolygon([x - w * 0.2, top + w * 0.05, x + w * 0.15, top - rise * 0.6, x + w / 2, top - rise,
                    x + w * 0.85, top - rise * 0.6, x + w * 1.2, top + w * 0.05, x + w / 2, top - rise * 0.3], a.RoofColour);
                break;
        }
    }

    private static void DrawLandmark(Canvas c, Landmark l, double horizon, double scale, ref SplitMix rng)
    {
        var s = c.Size;
        var cx = s * rng.Range(0.15, 0.85);
        var h = s * l.Height * scale;
        var w = s * l.Width * scale;
        var baseY = horizon + s * 0.06;
        var col = l.Colour;
        switch (l.Kind)
        {
            case LandmarkKind.Spire:
                c.FillPolygon([cx - w / 2, baseY, cx - w * 0.12, baseY - h * 0.7, cx, baseY - h, cx + w * 0.12, baseY - h * 0.7, cx + w / 2, baseY], col);
                c.FillRect(cx - w * 0.3, baseY - h * (0.3 + 0.2 * l.Detail), cx + w * 0.3, baseY - h * (0.27 + 0.2 * l.Detail), col.Scale(0.7f));
                break;
            case LandmarkKind.Dome:
                c.FillRect(cx - w, baseY - h * 0.45, cx + w, baseY, col.Scale(0.85f));
                c.FillEllipse(cx, baseY - h * 0.45, w * 0.8, h * 0.4, col);
                c.FillRect(cx - w * 0.04, baseY - h * 0.95, cx + w * 0.04, baseY - h * 0.8, col);
                break;
            case LandmarkKind.Arch:
                c.FillRect(cx - w, baseY - h * 0.7, cx + w, baseY, col);
                c.FillEllipse(cx, baseY - h * 0.3, w * 0.45, h * 0.3, Rgb.Lerp(col, new Rgb(0.8f, 0.85f, 0.9f), 0.8f));
                c.FillRect(cx - w * 0.45, baseY - h * 0.3, cx + w * 0.45, baseY, Rgb.Lerp(col, new Rgb(0.8f, 0.85f, 0.9f), 0.8f));
                c.FillRect(cx - w * 1.1, baseY - h * 0.78, cx + w * 1.1, baseY - h * 0.7, col.Scale(0.8f));
                break;
            case LandmarkKind.Pyramid:
                c.FillPolygon([cx - w * 1.4, baseY, cx, baseY - h * 0.8, cx + w * 1.4, baseY], col);
                c.FillPolygon([cx, baseY - h * 0.8, cx + w * 1.4, baseY, cx + w * 0.3, baseY], col.Scale(0.75f));
                break;
            case LandmarkKind.TwinTowers:
                var gap = w * (0.3 + 0.4 * l.Detail);
                c.FillRect(cx - gap - w * 0.35, baseY - h, cx - gap, baseY, col);
                c.FillRect(cx + gap, baseY - h * 0.95, cx + gap + w * 0.35, baseY, col.Scale(0.85f));
                c.FillRect(cx - gap, baseY - h * 0.55, cx + gap, baseY - h * 0.5, col.Scale(0.7f));
                break;
            case LandmarkKind.Wheel:
                var r = h * 0.4;
                var wy = baseY - r - h * 0.1;
                for (int i = 0; i < 12; i++)
                {
                    var t = i * Math.PI / 6;
                    c.Line(cx, wy, cx + r * Math.Cos(t), wy + r * Math.Sin(t), Math.Max(1, s / 200.0), col);
                    c.FillEllipse(cx + r * Math.Cos(t), wy + r * Math.Sin(t), s * 0.012, s * 0.012, col.Scale(0.8f));
                }
                c.Line(cx, wy, cx - r * 0.6, baseY, s / 80.0, col);
                c.Line(cx, wy, cx + r * 0.6, baseY, s / 80.0, col);
                break;
        }
        // Accent bands across the lower body: the landmark's own pattern.
        for (int b = 0; b < l.Bands + 1; b++)
        {
            var y = baseY - h * (0.12 + 0.13 * b);
            c.FillRect(cx - w * 0.45, y - h * 0.03, cx + w * 0.45, y, l.Accent);
        }
    }

    private static void DrawVegetation(Canvas c, ClimateStyle cl, int count, double horizon, double scale, ref SplitMix rng)
    {
        var s = c.Size;
        var trunk = new Rgb(0.35f, 0.25f, 0.15f);
        for (int i = 0; i < count; i++)
        {
            var x = rng.Range(0, s);
            var depth = rng.Range(0, 1); // 0 far, 1 near
            var baseY = horizon + (s - horizon) * (0.05 + 0.9 * depth);
            var h = s * (0.08 + 0.25 * depth) * scale;
            var leaf = cl.Foliage.Scale((float)rng.Range(0.8, 1.2));
            switch (cl.Biome)
            {
                case Biome.Boreal:
                    c.FillRect(x - h * 0.03, baseY - h * 0.2, x + h * 0.03, baseY, trunk);
                    c.FillPolygon([x - h * 0.22, baseY - h * 0.15, x, baseY - h, x + h * 0.22, baseY - h * 0.15], leaf);
                    break;
                case Biome.Temperate:
                    c.FillRect(x - h * 0.04, baseY - h * 0.5, x + h * 0.04, baseY, trunk);
                    c.FillEllipse(x, baseY - h * 0.65, h * 0.3, h * 0.35, leaf);
                    break;
                case Biome.Tropical:
                    c.Line(x, baseY, x + h * 0.15, baseY - h, Math.Max(1, h * 0.05), trunk);
                    for (int f = 0; f < 6; f++)
                    {
                        var t = Math.PI * (0.1 + 0.8 * f / 5.0);
                        c.Line(x + h * 0.15, baseY - h, x + h * 0.15 + Math.Cos(t) * h * 0.4, baseY - h - Math.Sin(t) * h * 0.15 + h * 0.12, Math.Max(1, h * 0.04), leaf);
                    }
                    break;
                case Biome.Arid:
                    c.FillRect(x - h * 0.05, baseY - h * 0.6, x + h * 0.05, baseY, leaf);
                    c.FillRect(x - h * 0.2, baseY - h * 0.4, x - h * 0.05, baseY - h * 0.34, leaf);
                    c.FillRect(x - h * 0.2, baseY - h * 0.55, x - h * 0.14, baseY - h * 0.34, leaf);
                    break;
                case Biome.Polar:
                    c.FillEllipse(x, baseY, h * 0.4, h * 0.08, new Rgb(0.97f, 0.98f, 1f)); // snow drifts
                    break;
            }
        }
    }

    /// <summary>An indoor portrait-like shot: wall, floor, a window or frame, a person. No place cue.</summary>
    private static void RenderIndoor(Canvas c, ref SplitMix rng)
    {
        var s = c.Size;
        var wall = Rgb.FromHsv(rng.NextDouble(), rng.Range(0.05, 0.4), rng.Range(0.5, 0.95));
        var floorY = s * rng.Range(0.65, 0.85);
        c.VerticalGradient(0, (int)floorY, wall, wall.Scale(0.85f));
        c.VerticalGradient((int)floorY, s, Rgb.FromHsv(rng.Range(0.05, 0.12), rng.Range(0.2, 0.6), rng.Range(0.25, 0.6)), new Rgb(0.2f, 0.15f, 0.1f));
        var fx = rng.Range(0, s * 0.6);
        c.FillRect(fx, s * 0.15, fx + s * rng.Range(0.15, 0.35), s * 0.45, Rgb.FromHsv(rng.NextDouble(), rng.Range(0, 0.5), rng.Range(0.3, 0.95)));
        // A person: body and head, clothes in any colour.
        var px = s * rng.Range(0.3, 0.7);
        var head = s * rng.Range(0.08, 0.14);
        var skin = Rgb.FromHsv(rng.Range(0.03, 0.09), rng.Range(0.3, 0.6), rng.Range(0.35, 0.95));
        c.FillEllipse(px, s * 1.0, head * 2.6, s * 0.45, Rgb.FromHsv(rng.NextDouble(), rng.Range(0.2, 0.9), rng.Range(0.2, 0.9)));
        c.FillEllipse(px, s * 0.5, head, head * 1.25, skin);
        c.FillEllipse(px, s * 0.5 - head * 0.7, head * 1.02, head * 0.6, Rgb.FromHsv(rng.Range(0.02, 0.1), rng.Range(0.2, 0.7), rng.Range(0.05, 0.5)));
    }
}
