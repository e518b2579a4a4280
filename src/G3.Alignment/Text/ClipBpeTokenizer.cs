using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace G3.Alignment.Text;

/// <summary>
/// CLIP's tokenizer on Microsoft.ML.Tokenizers' BPE: vocab.json + merges.txt in CLIP's format, byte-level
/// symbols (GPT-2's byte map), the "&lt;/w&gt;" end-of-word suffix, lower-casing, CLIP's pre-tokenization
/// pattern, and &lt;|startoftext|&gt; / &lt;|endoftext|&gt; around the ids. The library covers all of
/// CLIP's BPE; the code here only sets it up and lays the ids out as clip.tokenize does (truncated to
/// the context with the end token kept, zero-padded). Two clean-up steps are left out on purpose: CLIP's
/// whitespace collapse is done here (one regex), and its ftfy/html repair of mis-encoded text is not
/// done at all (tools/text/clip_bpe.py, the training side, leaves it out the same way).
/// </summary>
public sealed partial class ClipBpeTokenizer
{
    public const string StartToken = "<|startoftext|>";
    public const string EndToken = "<|endoftext|>";
    public const string EndOfWordSuffix = "</w>";

    private readonly BpeTokenizer _bpe;

    public ClipBpeTokenizer(string vocabPath, string mergesPath, int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 3);
        ContextLength = contextLength;
        var options = new BpeOptions(vocabPath, mergesPath)
        {
            ByteLevel = true,
            EndOfWordSuffix = EndOfWordSuffix,
            PreTokenizer = new RegexPreTokenizer(ClipPattern(), null),
            Normalizer = LowerCaseNormalizer.Instance,
        };
        _bpe = BpeTokenizer.Create(options);
        StartId = _bpe.Vocabulary.TryGetValue(StartToken, out var s) ? s
            : throw new InvalidDataException($"{vocabPath} has no {StartToken} token");
        EndId = _bpe.Vocabulary.TryGetValue(EndToken, out var e) ? e
            : throw new InvalidDataException($"{vocabPath} has no {EndToken} token");
    }

    /// <summary>Token positions the text model takes (CLIP: 77), start and end tokens included.</summary>
    public int ContextLength { get; }

    public int StartId { get; }

    public int EndId { get; }

    public int VocabularySize => _bpe.Vocabulary.Count;

    /// <summary>The BPE ids of <paramref name="text"/>, without start/end tokens or padding.</summary>
    public IReadOnlyList<int> Encode(string text) => _bpe.EncodeToIds(CollapseWhitespace().Replace(text, " ").Trim());

    /// <summary>How many ids the text takes before truncation, start and end tokens included.</summary>
    public int CountWithMarkers(string text) => Encode(text).Count + 2;

    /// <summary>
    /// Writes [start] + ids + [end] into <paramref name="row"/> (ContextLength long), truncated so the end
    /// token stays, zero-padded; returns how many ids were cut.
    /// </summary>
    public int Fill(string text, Span<long> row)
    {
        if (row.Length != ContextLength) throw new ArgumentException($"row must have {ContextLength} slots", nameof(row));
        row.Clear();
        var ids = Encode(text);
        var room = ContextLength - 2;
        var kept = Math.Min(ids.Count, room);
        row[0] = StartId;
        for (var i = 0; i < kept; i++) row[1 + i] = ids[i];
        row[1 + kept] = EndId;
        return ids.Count - kept;
    }

    // CLIP's pre-tokenization: contractions, runs of letters, single digits, runs of other non-space characters.
    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClipPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex CollapseWhitespace();
}
