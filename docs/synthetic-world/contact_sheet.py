#!/usr/bin/python3
"""Contact sheet of a synthetic world (`g3 synth`): a grid of database photos labelled by place.

Usage: /usr/bin/python3 docs/synthetic-world/contact_sheet.py WORLD_DIR OUT.jpg [--cols 6 --rows 4 --thumb 160]

Picks one photo per country in CSV order (so the sheet shows how places differ), then fills up
with the remaining photos. Needs only Debian's python3-pil.
"""
import argparse
import csv
import os
import unicodedata

from PIL import Image, ImageDraw, ImageFont


FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]


def load_font():
    for path in FONTS:
        if os.path.exists(path):
            return ImageFont.truetype(path, 11), False
    return ImageFont.load_default(), True  # bitmap font: Latin-1 only


def printable(text, latin1_only):
    if not latin1_only:
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ord(ch) < 256 and not unicodedata.combining(ch))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("world")
    ap.add_argument("out")
    ap.add_argument("--cols", type=int, default=6)
    ap.add_argument("--rows", type=int, default=4)
    ap.add_argument("--thumb", type=int, default=160)
    a = ap.parse_args()

    with open(os.path.join(a.world, "mp16pro", "metadata.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    want = a.cols * a.rows
    chosen, seen = [], set()
    for r in rows:
        if r["country"] and r["country"] not in seen:
            seen.add(r["country"])
            chosen.append(r)
        if len(chosen) == want:
            break
    for r in rows:
        if len(chosen) == want:
            break
        if r not in chosen:
            chosen.append(r)

    label_h = 30
    sheet = Image.new("RGB", (a.cols * a.thumb, a.rows * (a.thumb + label_h)), "white")
    draw = ImageDraw.Draw(sheet)
    font, latin1_only = load_font()
    for i, r in enumerate(chosen):
        x, y = (i % a.cols) * a.thumb, (i // a.cols) * (a.thumb + label_h)
        img = Image.open(os.path.join(a.world, "mp16pro", "images", r["IMG_ID"])).convert("RGB")
        sheet.paste(img.resize((a.thumb, a.thumb)), (x, y))
        line1 = printable(r["city"] or r["state"] or "(rural)", latin1_only)
        line2 = printable(r["country"] or "ocean", latin1_only)
        draw.text((x + 3, y + a.thumb + 2), line1[:26], fill="black", font=font)
        draw.text((x + 3, y + a.thumb + 15), line2[:26], fill=(90, 90, 90), font=font)
    sheet.save(a.out, quality=85)


if __name__ == "__main__":
    main()
