#!/usr/bin/python3
"""Builds the bundled text tower's BPE vocabulary (CLIP's vocab.json + merges.txt format) from the
database split's descriptions (`g3 describe`), deterministically.

    /usr/bin/python3 tools/text/build_vocab.py --descriptions WORLD/mp16pro/descriptions.csv --out models/g3-mini/text --merges 1500
"""
import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import clip_bpe  # noqa: E402


def read_descriptions(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows or "description" not in rows[0]:
        raise SystemExit(f"{path}: expected IMG_ID,LAT,LON,description rows (written by `g3 describe`)")
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--descriptions", required=True)
    p.add_argument("--out", required=True, help="folder for vocab.json and merges.txt")
    p.add_argument("--merges", type=int, default=1500)
    a = p.parse_args()
    t = time.time()
    texts = [r["description"] for r in read_descriptions(a.descriptions)]
    vocab, merges = clip_bpe.learn(texts, a.merges)
    clip_bpe.write(a.out, vocab, merges)
    print(f"{len(merges)} merges, {len(vocab)} tokens from {len(texts)} descriptions in {time.time() - t:.0f} s -> {a.out}")


if __name__ == "__main__":
    main()
