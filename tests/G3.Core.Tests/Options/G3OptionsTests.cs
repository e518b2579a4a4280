using G3.Core.Options;

namespace G3.Core.Tests.Options;

public class G3OptionsTests
{
    [Fact]
    public void Defaults_are_the_papers_setting()
    {
        var o = new G3Options();
        Assert.Equal([0, 5, 10, 15], o.ReferenceCounts);
        Assert.Equal(4, o.VariantCount);
        Assert.Equal(10, o.SamplesPerPrompt);
        Assert.Equal(10, o.RetrievedCandidates);
        Assert.Empty(o.Validate());
        Assert.Same(o, o.EnsureValid());
    }

    public static TheoryData<G3Options, string> Invalid() => new()
    {
        { new G3Options { ReferenceCounts = [] }, "ReferenceCounts must list at least one" },
        { new G3Options { ReferenceCounts = [0, -1] }, "ReferenceCounts contains -1" },
        { new G3Options { ReferenceCounts = [0, 101] }, "ReferenceCounts contains 101" },
        { new G3Options { ReferenceCounts = Enumerable.Repeat(5, 17).ToArray() }, "at most 16" },
        { new G3Options { SamplesPerPrompt = 0 }, "SamplesPerPrompt (N) is 0" },
        { new G3Options { SamplesPerPrompt = 51 }, "SamplesPerPrompt (N) is 51" },
        { new G3Options { RetrievedCandidates = -1 }, "RetrievedCandidates (S) is -1" },
        { new G3Options { Temperature = 2.5 }, "Temperature is 2.5" },
        { new G3Options { Temperature = double.NaN }, "Temperature is NaN" },
        { new G3Options { GenerationDeadline = TimeSpan.Zero }, "GenerationDeadline" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_name_the_setting(G3Options options, string expected)
    {
        var errors = options.Validate();
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        var ex = Assert.Throws<G3OptionsException>(() => options.EnsureValid());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = new G3Options { SamplesPerPrompt = 0, RetrievedCandidates = -3, Temperature = -1 }.Validate();
        Assert.Equal(3, errors.Count);
    }
}
