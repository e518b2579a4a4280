using System.Text.Json;
using G3.Alignment.Text;

namespace G3.Alignment.Tests.Text;

/// <summary>
/// The C# tokenizer (Microsoft.ML.Tokenizers' BPE set up as CLIP's) gives exactly the ids the training
/// side (tools/text/clip_bpe.py) gave the same strings with the bundled vocab.json + merges.txt:
/// tests/fixtures/text/token_ids.json is written by tools/text/make_token_fixture.py.
/// </summary>
public sealed class ClipBpeTokenizerTests
{
    private static readonly string ModelDir = TestPaths.InRepo("models", "g3-mini");

    private sealed record Case(string Text, int[] Ids, long[] Row);

    private static (int Context, List<Case> Cases) Fixture()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("text", "token_ids.json")));
        var context = doc.RootElement.GetProperty("contextLength").GetInt32();
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("text").GetString()!,
            [.. c.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32())],
            [.. c.GetProperty("row").EnumerateArray().Select(x => x.GetInt64())])).ToList();
        return (context, cases);
    }

    private static ClipBpeTokenizer Open(int context) =>
        new(Path.Combine(ModelDir, "vocab.json"), Path.Combine(ModelDir, "merges.txt"), context);

    [Fact]
    public void Ids_match_the_python_training_tokenizer_on_every_fixture_string()
    {
        var (context, cases) = Fixture();
        var tokenizer = Open(context);
        Assert.True(cases.Count >= 10);
        foreach (var c in cases)
        {
            Assert.True(c.Ids.SequenceEqual(tokenizer.Encode(c.Text)),
                $"'{c.Text}': python {string.Join(' ', c.Ids)} / C# {string.Join(' ', tokenizer.Encode(c.Text))}");
            var row = new long[context];
            var cut = tokenizer.Fill(c.Text, row);
            Assert.Equal(c.Row, row);
            Assert.Equal(Math.Max(0, c.Ids.Length - (context - 2)), cut);
        }
    }

    [Fact]
    public void Start_and_end_tokens_are_the_vocabulary_last_two_as_in_clip()
    {
        var tokenizer = Open(77);
        Assert.Equal(tokenizer.VocabularySize - 2, tokenizer.StartId);
        Assert.Equal(tokenizer.VocabularySize - 1, tokenizer.EndId);
    }

    [Fact]
    public void A_long_text_is_cut_to_the_context_keeping_the_end_token()
    {
        var tokenizer = Open(8);
        var row = new long[8];
        var cut = tokenizer.Fill("red doors and awnings, grey pavement and amber street signs", row);

        Assert.True(cut > 0);
        Assert.Equal(tokenizer.StartId, row[0]);
        Assert.Equal(tokenizer.EndId, row[7]);
        Assert.DoesNotContain(0L, row);
    }
}
