using G3.Alignment.Imaging;
using G3.Alignment.Imaging.Preprocessing;

namespace G3.Alignment.Tests.Imaging;

public sealed class DecodeBudgetTests
{
    /// <summary>A 48 KB PNG declaring 7000×7000 grey pixels: about 343 MB while decoding.</summary>
    internal static byte[] BombPng(uint side = 7000) => TestPng.Build(side, side, 8, 0, Enumerable.Repeat(new byte[side], (int)side));

    [Fact]
    public async Task A_reservation_waits_while_the_budget_is_spent_and_proceeds_once_it_is_returned()
    {
        using var budget = new DecodeBudget(1024 * 1024);
        var first = budget.Acquire(768 * 1024);
        var second = Task.Run(() => budget.Acquire(768 * 1024));
        await Task.Delay(300);
        Assert.False(second.IsCompleted); // 1.5 MiB would exceed the 1 MiB budget
        first.Dispose();
        using var lease = await second.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(768 * 1024, budget.InUseBytes);
    }

    [Fact]
    public void An_image_larger_than_the_whole_budget_takes_all_of_it_and_still_decodes()
    {
        using var budget = new DecodeBudget(1024 * 1024);
        using (budget.Acquire(10L * 1024 * 1024 * 1024))
            Assert.Equal(1024 * 1024, budget.InUseBytes);
        Assert.Equal(0, budget.InUseBytes);
    }

    [Fact]
    public void A_decompression_bomb_reserves_its_decoded_size_from_the_shared_budget_until_released()
    {
        var decoder = new ImageDecoder(new ImageLimits { DecodeBudgetBytes = 600L * 1024 * 1024 });
        var bomb = BombPng();
        Assert.True(bomb.Length < 400_000, $"{bomb.Length} bytes");
        var before = decoder.Budget.InUseBytes;
        using (decoder.Reserve(bomb, 0))
            Assert.InRange(decoder.Budget.InUseBytes - before, 7000L * 7000 * 7, 7000L * 7000 * 7 + 64 * 1024);
        Assert.Equal(before, decoder.Budget.InUseBytes);
    }

    [Fact]
    public void Concurrent_bombs_through_the_preprocessor_all_complete_within_the_budget()
    {
        // 2000² × 7 = 28 MB each against a 40 MB budget: they decode one at a time, and all give the same tensor.
        var p = new ClipPreprocessor(new ClipPreprocessOptions { InputSize = 32 }, new ImageDecoder(new ImageLimits { DecodeBudgetBytes = 40L * 1024 * 1024 }));
        var bomb = BombPng(2000);
        var outputs = new float[8][];
        Parallel.For(0, 8, i => outputs[i] = p.Preprocess(bomb));
        Assert.All(outputs, o => Assert.Equal(outputs[0], o));
        Assert.Equal(0, p.Decoder.Budget.InUseBytes);
    }

    [Fact]
    public void A_negative_large_image_factor_is_refused() =>
        Assert.Contains(new ClipPreprocessOptions { LargeImageMinShortSideFactor = -1 }.Validate(), e => e.Contains("LargeImageMinShortSideFactor", StringComparison.Ordinal));

    [Fact]
    public void A_decode_budget_under_1_MiB_is_refused() =>
        Assert.Contains(new ImageLimits { DecodeBudgetBytes = 1000 }.Validate(), e => e.Contains("DecodeBudgetBytes", StringComparison.Ordinal));
}
