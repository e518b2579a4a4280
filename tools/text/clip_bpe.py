"""CLIP's byte-level BPE tokenizer and a small BPE learner that writes CLIP's file format.

Run with Debian's interpreter, /usr/bin/python3 (python3-regex for the \\p{L} / \\p{N} classes).

The files are CLIP's (openai/CLIP, simple_tokenizer.py; Hugging Face's CLIPTokenizer reads the same):
  vocab.json   token -> id: the 256 byte symbols (GPT-2's bytes-to-unicode map), the same 256 with the
               end-of-word suffix "</w>", one token per merge in merge order, then <|startoftext|> and
               <|endoftext|>
  merges.txt   "#version: 0.2" then one merge per line, "left right", highest priority first
Encoding: lower-case, collapse whitespace, split with CLIP's pattern, map each piece's UTF-8 bytes to
byte symbols, append "</w>" to the piece's last symbol, apply merges by rank; then
[<|startoftext|>] + ids + [<|endoftext|>], truncated (keeping the end token) and zero-padded to the
context length. The service encodes with Microsoft.ML.Tokenizers configured the same way
(src/G3.Alignment/Text/ClipBpeTokenizer.cs); tests/G3.Alignment.Tests holds ids written by
this file for fixture strings and checks the C# side gives the same.

Not reproduced: CLIP's ftfy.fix_text and html.unescape clean-up of mis-encoded input (neither side
does it; the service receives clean UTF-8 text).
"""
import json
from collections import Counter
from pathlib import Path

import regex

SOT, EOT, SUFFIX = "<|startoftext|>", "<|endoftext|>", "</w>"
PATTERN = regex.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
                        regex.IGNORECASE)
CONTEXT_LENGTH = 77


def bytes_to_unicode():
    """GPT-2's reversible map from the 256 byte values to printable unicode characters."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    codes = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            codes.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(c) for c in codes)))


BYTE_SYMBOLS = bytes_to_unicode()


def normalize(text):
    """CLIP's whitespace clean-up and lower-casing (its ftfy/html clean-up is left out, see the module note)."""
    return regex.sub(r"\s+", " ", text).strip().lower()


def pieces(text):
    """Pre-tokenization: the normalised text split by CLIP's pattern, each piece as byte symbols."""
    return ["".join(BYTE_SYMBOLS[b] for b in p.encode("utf-8")) for p in PATTERN.findall(normalize(text))]


def _word(piece):
    return tuple(piece[:-1]) + (piece[-1] + SUFFIX,)


class ClipBpe:
    def __init__(self, vocab, merges):
        self.vocab = vocab
        self.ranks = {pair: i for i, pair in enumerate(merges)}
        self.sot, self.eot = vocab[SOT], vocab[EOT]
        self._cache = {}

    @staticmethod
    def load(folder):
        folder = Path(folder)
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        lines = (folder / "merges.txt").read_text(encoding="utf-8").split("\n")
        merges = [tuple(line.split()) for line in lines if line and not line.startswith("#version")]
        return ClipBpe(vocab, merges)

    def bpe(self, piece):
        if piece in self._cache:
            return self._cache[piece]
        word = _word(piece)
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            word = _merge_word(word, best)
        self._cache[piece] = word
        return word

    def encode(self, text):
        """Token ids without the start/end tokens."""
        return [self.vocab[t] for p in pieces(text) for t in self.bpe(p)]

    def tokenize(self, text, context_length=CONTEXT_LENGTH):
        """[sot] + ids + [eot], truncated to the context (the end token kept) and zero-padded: CLIP's clip.tokenize."""
        ids = [self.sot] + self.encode(text) + [self.eot]
        if len(ids) > context_length:
            ids = ids[:context_length - 1] + [self.eot]
        return ids + [0] * (context_length - len(ids))


def _merge_word(w, pair):
    out, i = [], 0
    while i < len(w):
        if i < len(w) - 1 and (w[i], w[i + 1]) == pair:
            out.append(w[i] + w[i + 1])
            i += 2
        else:
            out.append(w[i])
            i += 1
    return tuple(out)


def learn(texts, merges_count):
    """Learns up to merges_count merges from texts (each piece counted per occurrence), CLIP's vocabulary layout.

    Pair counts are kept up to date incrementally (only the words holding the merged pair are re-counted);
    the most frequent pair wins, ties broken by the pair itself so the result never depends on dict order.
    """
    counts = Counter(p for t in texts for p in pieces(t))
    words = [list(_word(p)) for p in counts]
    freq = list(counts.values())
    pairs, where = Counter(), {}
    for k, w in enumerate(words):
        for i in range(len(w) - 1):
            pairs[(w[i], w[i + 1])] += freq[k]
            where.setdefault((w[i], w[i + 1]), set()).add(k)
    merges = []
    for _ in range(merges_count):
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        if pairs[best] < 2:
            break
        merges.append(best)
        for k in where.pop(best, ()):
            w = words[k]
            for i in range(len(w) - 1):
                pair = (w[i], w[i + 1])
                pairs[pair] -= freq[k]
                if pairs[pair] <= 0:
                    del pairs[pair]
            w = list(_merge_word(w, best))
            words[k] = w
            for i in range(len(w) - 1):
                pair = (w[i], w[i + 1])
                pairs[pair] += freq[k]
                where.setdefault(pair, set()).add(k)
    symbols = list(BYTE_SYMBOLS.values())
    tokens = symbols + [s + SUFFIX for s in symbols] + ["".join(m) for m in merges] + [SOT, EOT]
    vocab = {}
    for t in tokens:
        vocab.setdefault(t, len(vocab))
    return vocab, merges


def write(folder, vocab, merges):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges), encoding="utf-8")
