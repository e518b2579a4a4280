namespace G3.Synthetic.Rendering;

/// <summary>
/// A 3×5 pixel capital-letter font, drawn as filled cells: enough to put lines of text on a
/// plain background for the non-place test images (a screenshot or a slide is not a place).
/// </summary>
public static class BlockFont
{
    // Rows top to bottom, 3 bits each, leftmost pixel in the highest bit.
    private static readonly string[] Glyphs =
    [
        "010101111101101", "110101110101110", "011100100100011", "110101101101110", "111100110100111", "111100110100100",
        "011100101101011", "101101111101101", "111010010010111", "001001001101010", "101101110101101", "100100100100111",
        "101111111101101", "110101101101101", "010101101101010", "110101110100100", "010101101110011", "110101110101101",
        "011100010001110", "111010010010010", "101101101101111", "101101101101010", "101101111111101", "101101010101101",
        "101101010010010", "111001010100111",
    ];

    /// <summary>Draws <paramref name="text"/> (A–Z; anything else is a space) with its top-left at (x, y), each font pixel <paramref name="cell"/> wide.</summary>
    public static void Draw(Canvas canvas, string text, double x, double y, double cell, Rgb colour)
    {
        foreach (var ch in text)
        {
            var k = char.ToUpperInvariant(ch) - 'A';
            if (k is >= 0 and < 26)
            {
                var g = Glyphs[k];
                for (int row = 0; row < 5; row++)
                    for (int col = 0; col < 3; col++)
                        if (g[row * 3 + col] == '1')
                            canvas.FillRect(x + col * cell, y + row * cell, x + (col + 1) * cell, y + (row + 1) * cell, colour);
            }
            x += 4 * cell;
        }
    }
}
