#!/usr/bin/python3
"""Writes tests/fixtures/text/token_ids.json: the token ids tools/text/clip_bpe.py (the training side)
gives fixture strings with a model's vocab.json + merges.txt. The C# tokenizer's test
(tests/G3.Alignment.Tests/Text) encodes the same strings with the same files and must give the same ids.
Run again whenever the bundled vocabulary changes (tools/text/train_text_tower.py does).

    /usr/bin/python3 tools/text/make_token_fixture.py --tokenizer models/g3-mini
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import clip_bpe  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# Cases that exercise each step: case folding, whitespace runs, digits one by one, CLIP's contractions,
# punctuation runs, non-ASCII letters (UTF-8 bytes -> byte symbols), unseen words, an empty string, and
# a text longer than the context (truncation keeps the end token).
STRINGS = [
    "A street photo in Lalín, Galicia, Spain.",
    "WHERE could this be:   red doors   and awnings,\tgrey pavement\nand amber street signs?",
    "The buildings are tall, with cyan walls and dark red pagoda roofs.",
    "A view of the teal second Twin Towers of São Paulo.",
    "it's 42 km from Zürich -- isn't it? (we'll see)",
    "Köln, Łódź, Ålesund, Москва, 東京, القاهرة",
    "zzqx flibbertigibbet 12345!!!",
    "emoji 🌍 and symbols ©®™ — “quotes”",
    "",
    " ".join(["lush tropical greenery and a high sun"] * 12),
]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tokenizer", default=str(REPO / "models/g3-mini"), help="folder with vocab.json and merges.txt")
    p.add_argument("--context", type=int, default=clip_bpe.CONTEXT_LENGTH)
    p.add_argument("--out", default=str(REPO / "tests/fixtures/text/token_ids.json"))
    a = p.parse_args()
    bpe = clip_bpe.ClipBpe.load(a.tokenizer)
    cases = [{"text": s, "ids": bpe.encode(s), "row": bpe.tokenize(s, a.context)} for s in STRINGS]
    lines = ",\n".join("  " + json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in cases)
    Path(a.out).write_text(f'{{"tokenizer":"models/g3-mini","contextLength":{a.context},"cases":[\n{lines}\n]}}\n', encoding="utf-8")
    print(f"wrote {len(cases)} cases to {a.out}")


if __name__ == "__main__":
    main()
