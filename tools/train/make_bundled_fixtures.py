#!/usr/bin/python3
"""Copies a few synthetic-world photos into tests/fixtures/bundled/ for the bundled-model tests.

Run with Debian's interpreter after generating the world (`g3 synth --seed 1`):

    /usr/bin/python3 tools/train/make_bundled_fixtures.py [--world data/mp16pro/generated/world]

Selection rule (fixed, not tuned to the model): the first database photo, in id order, of each
continent that has a city name, plus the second photo of the Oceania photo's city, so that one
pair shows the same place, plus the first two database photos (id order) of the first landmark
(by id order of its first photo) that has at least two, so that one pair shows the same landmark.
They are training photos of g3-mini. photos.csv lists them in the MP16-Pro schema (IMG_ID, LAT,
LON, city, country, continent) and a landmark column (empty for non-landmark photos).
"""
import argparse
import csv
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--world", default=str(REPO / "data/mp16pro/generated/world"))
    p.add_argument("--out", default=str(REPO / "tests/fixtures/bundled"))
    args = p.parse_args()
    world, out = Path(args.world), Path(args.out)
    with open(world / "mp16pro/metadata.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    chosen, seen = [], set()
    for r in rows:
        if r["continent"] and r["city"] and r["continent"] not in seen:
            seen.add(r["continent"])
            chosen.append(r)
    oceania = next(r for r in chosen if r["continent"] == "Oceania")
    chosen.append(next(r for r in rows if r["city"] == oceania["city"] and r["country"] == oceania["country"]
                       and r["IMG_ID"] != oceania["IMG_ID"] and int(r["IMG_ID"][3:-4]) > int(oceania["IMG_ID"][3:-4])))
    with open(world / "landmarks.csv", newline="", encoding="utf-8") as f:
        landmark_of = {r["IMG_ID"]: r["landmark"] for r in csv.DictReader(f)}
    by_landmark = {}
    for r in rows:
        if r["IMG_ID"] in landmark_of:
            by_landmark.setdefault(landmark_of[r["IMG_ID"]], []).append(r)
    pair = next(photos[:2] for photos in by_landmark.values() if len(photos) >= 2)
    chosen += [r for r in pair if r not in chosen]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.jpg"):
        old.unlink()
    with open(out / "photos.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["IMG_ID", "LAT", "LON", "city", "country", "continent", "landmark"])
        for r in chosen:
            shutil.copyfile(world / "mp16pro/images" / r["IMG_ID"], out / r["IMG_ID"])
            w.writerow([r["IMG_ID"], r["LAT"], r["LON"], r["city"], r["country"], r["continent"], landmark_of.get(r["IMG_ID"], "")])
    print(f"wrote {len(chosen)} photos to {out}")


if __name__ == "__main__":
    main()
