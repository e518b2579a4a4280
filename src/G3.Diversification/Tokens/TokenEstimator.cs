using G3.Diversification.Providers;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace G3.Diversification.Tokens;

/// <summary>A call's tokens as estimated before it is made: input (text, chat format and images) and the most it may answer.</summary>
/// <param name="OutputLimit">The completion limit times the choices asked for (an upper bound); null when the call sets no limit.</param>
public readonly record struct CallTokens(int Input, int? OutputLimit, int Images)
{
    /// <summary>What a tokens-per-minute limit counts for the call: the input and the output limit (as OpenAI's limiter does).</summary>
    public int Budgeted => Input + (OutputLimit ?? 0);
}

/// <summary>
/// Estimates one provider's tokens for a call from its messages and options, by the provider's token rules
/// (<see cref="LmmTokenOptions"/>): text with the model's tiktoken vocabulary, the chat format's per-message and per-call
/// tokens, and each image by the provider's image rule. The same estimate serves the experiment plan and the tokens-per-minute limiter.
/// </summary>
public sealed class TokenEstimator
{
    private readonly LmmTokenOptions _options;
    private readonly string _imageRule;
    private readonly Lazy<Tokenizer> _text;

    public TokenEstimator(LmmProviderOptions provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _options = provider.Tokens;
        _imageRule = provider.Tokens.Images.Rule ?? Providers.Kinds.ProviderKinds.Find(provider.Kind)?.DefaultImageTokenRule ?? ImageTokenRules.Tiles;
        var encoding = provider.Tokens.Encoding ?? TextTokenizers.DefaultEncoding(provider.Model);
        Encoding = encoding;
        _text = new Lazy<Tokenizer>(() => TextTokenizers.Get(encoding));
    }

    /// <summary>The text vocabulary in use.</summary>
    public string Encoding { get; }

    /// <summary>The image rule in use (tiles | fixed).</summary>
    public string ImageRule => _imageRule;

    public CallTokens Estimate(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var settings = LmmCallSettings.Of(options);
        int input = _options.PerCall, images = 0;
        foreach (var message in messages)
        {
            input += _options.PerMessage + Count(message.Role.Value);
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        input += Count(text.Text);
                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        images++;
                        var detail = data.AdditionalProperties?.TryGetValue(ChatConventions.ImageDetail, out var d) == true ? d as string : null;
                        input += ImageTokens(data.Data.Span, detail ?? settings.ImageDetail ?? "auto");
                        break;
                }
            }
        }
        int? output = options?.MaxOutputTokens is { } limit ? limit * settings.Choices : null;
        return new CallTokens(input, output, images);
    }

    /// <summary>One image's tokens by the provider's rule; an image whose size cannot be read counts as the largest the tile rule allows.</summary>
    public int ImageTokens(ReadOnlySpan<byte> image, string detail)
    {
        var rule = _options.Images;
        if (_imageRule == ImageTokenRules.Fixed)
            return rule.Fixed;
        if (detail == "low")
            return rule.LowDetail;
        var (width, height) = ImageDimensions.Read(image) ?? (rule.MaxSide, rule.MaxSide);
        double w = width, h = height;
        var fit = Math.Min(1.0, rule.MaxSide / Math.Max(w, h));
        w *= fit;
        h *= fit;
        var shorten = Math.Min(1.0, rule.ShortSide / Math.Min(w, h));
        w *= shorten;
        h *= shorten;
        var tiles = (int)Math.Ceiling(w / rule.TileSize) * (int)Math.Ceiling(h / rule.TileSize);
        return rule.Base + rule.PerTile * tiles;
    }

    private int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : _text.Value.CountTokens(text);
}
