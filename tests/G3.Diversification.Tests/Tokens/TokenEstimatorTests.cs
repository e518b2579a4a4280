using G3.Diversification.Providers;
using G3.Diversification.Tests.Stubs;
using G3.Diversification.Tokens;
using Microsoft.Extensions.AI;

namespace G3.Diversification.Tests.Tokens;

public sealed class TokenEstimatorTests
{
    private static TokenEstimator For(string kind, string model = "gpt-4o", LmmTokenOptions? tokens = null) =>
        new(new LmmProviderOptions { Kind = kind, Model = model, Tokens = tokens ?? new LmmTokenOptions() });

    // OpenAI's documented examples of its tile rule (high detail): a 1024 px square is scaled to 768, 4 tiles; 2048×4096 is
    // fitted to 1024×2048, then to 768×1536, 6 tiles; low detail is 85 whatever the size.
    [Theory]
    [InlineData(1024, 1024, "high", 85 + 170 * 4)]
    [InlineData(2048, 4096, "high", 85 + 170 * 6)]
    [InlineData(4096, 8192, "auto", 85 + 170 * 6)]
    [InlineData(300, 200, "high", 85 + 170 * 1)]
    [InlineData(1024, 1024, "low", 85)]
    public void The_tile_rule_counts_images_as_OpenAI_documents(int width, int height, string detail, int expected)
    {
        Assert.Equal(expected, For(LmmProviderKinds.OpenAI).ImageTokens(Png(width, height), detail));
    }

    [Fact]
    public void The_fixed_rule_is_ollamas_default_and_every_number_is_configuration()
    {
        Assert.Equal(576, For(LmmProviderKinds.Ollama, "llava").ImageTokens(Png(1024, 1024), "high"));
        Assert.Equal(2880, For(LmmProviderKinds.Ollama, "llava", new LmmTokenOptions { Images = new LmmImageTokenOptions { Fixed = 2880 } }).ImageTokens(Png(10, 10), "low"));
        var custom = new LmmTokenOptions { Images = new LmmImageTokenOptions { Rule = ImageTokenRules.Tiles, Base = 10, PerTile = 100, TileSize = 256 } };
        Assert.Equal(10 + 100 * 9, For(LmmProviderKinds.Ollama, "llava", custom).ImageTokens(Png(768, 768), "high"));
    }

    [Fact]
    public void Image_sizes_are_read_from_the_headers_of_jpeg_png_gif_and_webp()
    {
        Assert.Equal((16, 16), ImageDimensions.Read(TestImages.RedSquareJpeg));
        Assert.Equal((640, 480), ImageDimensions.Read(Png(640, 480)));
        Assert.Equal((7, 3), ImageDimensions.Read("GIF89a\x07\x00\x03\x00"u8.ToArray().Concat(new byte[4]).ToArray()));
        byte[] webp = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8X"u8, 10, 0, 0, 0, 0, 0, 0, 0, 0x7F, 0x02, 0x00, 0xDF, 0x01, 0x00];
        Assert.Equal((640, 480), ImageDimensions.Read(webp));
        Assert.Null(ImageDimensions.Read("not an image at all"u8));
    }

    [Fact]
    public void A_call_counts_its_text_with_the_models_vocabulary_the_chat_format_its_images_and_its_completion_limit()
    {
        var estimator = For(LmmProviderKinds.OpenAI);
        Assert.Equal(TextTokenizers.O200kBase, estimator.Encoding);
        var messages = TestImages.GeolocationPrompt();
        var options = new LmmCallSettings { Choices = 3, ImageDetail = "low" }.ApplyTo(new ChatOptions { MaxOutputTokens = 200 });

        var tokens = estimator.Estimate(messages, options);

        var text = TextTokenizers.Get(TextTokenizers.O200kBase);
        var expected = 3 // per call
            + 3 + text.CountTokens("system") + text.CountTokens("You are an expert in geolocation.")
            + 3 + text.CountTokens("user") + text.CountTokens("Where was this photo taken? Answer with a JSON object.") + 85;
        Assert.Equal(expected, tokens.Input);
        Assert.Equal(600, tokens.OutputLimit);
        Assert.Equal(1, tokens.Images);
        Assert.Equal(expected + 600, tokens.Budgeted);
    }

    [Fact]
    public void Older_openai_models_count_with_cl100k_and_an_encoding_can_be_set()
    {
        Assert.Equal(TextTokenizers.Cl100kBase, For(LmmProviderKinds.OpenAI, "gpt-4-vision-preview").Encoding);
        Assert.Equal(TextTokenizers.O200kBase, For(LmmProviderKinds.OpenAI, "gpt-4o-mini").Encoding);
        Assert.Equal(TextTokenizers.Cl100kBase, For(LmmProviderKinds.OpenAI, "gpt-4o", new LmmTokenOptions { Encoding = "cl100k_base" }).Encoding);
        // The two vocabularies differ, so the choice matters.
        const string Sample = "Réponds uniquement en JSON: {\"latitude\": 48.8566, \"longitude\": 2.3522}";
        Assert.NotEqual(TextTokenizers.Get("o200k_base").CountTokens(Sample), TextTokenizers.Get("cl100k_base").CountTokens(Sample));
    }

    [Fact]
    public void Token_settings_with_typos_or_out_of_range_values_are_refused()
    {
        var errors = LmmOptionsValidator.Validate(new LmmOptions
        {
            Default = "p",
            Providers = new Dictionary<string, LmmProviderOptions>
            {
                ["p"] = new()
                {
                    Kind = LmmProviderKinds.OpenAI, Model = "gpt-4o", RequestsPerMinute = 0, TokensPerMinute = -5,
                    Tokens = new LmmTokenOptions { Encoding = "p50k_base", PerMessage = -1, Images = new LmmImageTokenOptions { Rule = "tile", TileSize = 0 } },
                },
            },
        });
        Assert.Contains(errors, e => e.StartsWith("Lmm:Providers:p:RequestsPerMinute must be in 1..", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Lmm:Providers:p:TokensPerMinute must be in 1..", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Lmm:Providers:p:Tokens:Encoding is 'p50k_base'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Lmm:Providers:p:Tokens:PerMessage must be", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Lmm:Providers:p:Tokens:Images:Rule is 'tile'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Lmm:Providers:p:Tokens:Images:TileSize must be", StringComparison.Ordinal));
        Assert.Equal(6, errors.Count(e => e.Contains("PerMinute", StringComparison.Ordinal) || e.Contains(":Tokens:", StringComparison.Ordinal)));
    }

    /// <summary>The first bytes of a PNG of the given size (signature and IHDR): all a header reader looks at.</summary>
    private static byte[] Png(int width, int height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        return bytes;
    }
}
