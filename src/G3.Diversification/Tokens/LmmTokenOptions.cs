namespace G3.Diversification.Tokens;

/// <summary>
/// How a provider counts the tokens of a call (Lmm:Providers:NAME:Tokens), for estimates made before the call: the
/// plan of an experiment (g3 eval --plan) and the tokens-per-minute limiter. Every number is the operator's to change;
/// the defaults are what OpenAI documents for its chat models.
/// </summary>
public sealed record LmmTokenOptions
{
    /// <summary>The tiktoken vocabulary for text: o200k_base (gpt-4o and later) or cl100k_base (gpt-4, gpt-4-turbo, GPT-4V); null = the
    /// model's own for OpenAI model names (<see cref="TextTokenizers.DefaultEncoding"/>), else o200k_base.</summary>
    public string? Encoding { get; init; }

    /// <summary>Tokens the chat format adds per message (OpenAI: 3), beside the role's and the text's own.</summary>
    public int PerMessage { get; init; } = 3;

    /// <summary>Tokens the chat format adds once per call, priming the answer (OpenAI: 3).</summary>
    public int PerCall { get; init; } = 3;

    /// <summary>What one image costs.</summary>
    public LmmImageTokenOptions Images { get; init; } = new();
}

/// <summary>
/// What one image costs in input tokens. "tiles" is OpenAI's rule for GPT-4o / GPT-4V (and Azure OpenAI's): detail low is a fixed
/// <see cref="LowDetail"/>; otherwise the image is scaled to fit <see cref="MaxSide"/> square, then its short side to
/// <see cref="ShortSide"/>, and costs <see cref="Base"/> + <see cref="PerTile"/> × its <see cref="TileSize"/> tiles ("auto" is
/// counted as high, an upper bound). "fixed" is a vision encoder with one input size (LLaVA 1.5: 336 px in 14 px patches, 576).
/// </summary>
public sealed record LmmImageTokenOptions
{
    /// <summary>tiles | fixed; null = the provider kind's default (tiles for openai and azure-openai, fixed for ollama and openai-compatible).</summary>
    public string? Rule { get; init; }

    public int LowDetail { get; init; } = 85;
    public int Base { get; init; } = 85;
    public int PerTile { get; init; } = 170;
    public int TileSize { get; init; } = 512;
    public int MaxSide { get; init; } = 2048;
    public int ShortSide { get; init; } = 768;

    /// <summary>The "fixed" rule: tokens per image whatever its size.</summary>
    public int Fixed { get; init; } = 576;
}

/// <summary>Values of <see cref="LmmImageTokenOptions.Rule"/>.</summary>
public static class ImageTokenRules
{
    public const string Tiles = "tiles";
    public const string Fixed = "fixed";

    public static IReadOnlyList<string> All { get; } = [Tiles, Fixed];
}
