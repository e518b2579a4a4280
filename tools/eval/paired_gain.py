#!/usr/bin/python3
"""Paired gain of one configuration over another in a `g3 eval` run's raw results, with a bootstrap interval.

    /usr/bin/python3 tools/eval/paired_gain.py docs/eval/synthetic-ablation/results.jsonl.gz \
        "top-1 retrieval (S=1)" "verifier, S=10" [--km 25,200] [--resamples 10000] [--seed 0] \
        [--only data/mp16pro/generated/world/landmarks.csv] [--cluster FILE.csv:COLUMN]

For each threshold: both configurations' accuracy and the gain in points (% of images within it), how many
images moved inside and outside, and 95 % percentile intervals from resampling the images (both configurations
together). --only keeps the images whose IMG_ID the CSV lists (a subgroup, e.g. the landmark queries).
--cluster resamples whole clusters instead of images: the CSV maps IMG_ID to a cluster key in COLUMN (e.g. the
multi-view split's views.csv:landmark, since several places share one landmark site and succeed or fail together).
"""
import argparse
import csv
import gzip
import json

import numpy as np

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("results")
p.add_argument("baseline")
p.add_argument("candidate")
p.add_argument("--km", default="25,200")
p.add_argument("--resamples", type=int, default=10000)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--only", help="CSV with an IMG_ID column: evaluate only those images")
p.add_argument("--cluster", help="FILE.csv:COLUMN: resample clusters of images by that column")
a = p.parse_args()


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


errors = {}
with gzip.open(a.results, "rt") if a.results.endswith(".gz") else open(a.results) as f:
    for line in f:
        r = json.loads(line)
        errors.setdefault(r["configuration"], {})[r["image_id"]] = r["error_km"]
for name in (a.baseline, a.candidate):
    if name not in errors:
        raise SystemExit(f"no configuration '{name}' in {a.results}: {sorted(errors)}")
base, cand = errors[a.baseline], errors[a.candidate]
ids = sorted(set(base) & set(cand))
if a.only:
    keep = {row["IMG_ID"] for row in read_csv(a.only)}
    ids = [i for i in ids if i in keep]
    if not ids:
        raise SystemExit(f"none of the images in {a.only} is in both configurations")
if a.cluster:
    path, _, column = a.cluster.rpartition(":")
    rows = read_csv(path)
    if not path or not rows or column not in rows[0]:
        raise SystemExit(f"--cluster {a.cluster}: expected FILE.csv:COLUMN with that column")
    key = {row["IMG_ID"]: row[column] for row in rows}
    missing = [i for i in ids if i not in key]
    if missing:
        raise SystemExit(f"{len(missing)} images have no cluster in {path} (first: {missing[0]})")
    names = sorted({key[i] for i in ids})
    index = {n: c for c, n in enumerate(names)}
    members = [[] for _ in names]
    for j, i in enumerate(ids):
        members[index[key[i]]].append(j)
else:
    members = [[j] for j in range(len(ids))]
rng = np.random.default_rng(a.seed)
picks = rng.integers(0, len(members), (a.resamples, len(members)))
# Per resample: how many times each image is drawn (a cluster brings all of its images).
membership = np.zeros((len(members), len(ids)))
for c, js in enumerate(members):
    membership[c, js] = 1
counts = np.stack([np.bincount(row, minlength=len(members)) for row in picks]) @ membership
unit = f"{len(members)} clusters" if a.cluster else "images"
print(f"{len(ids)} images; resampling {unit}, {a.resamples} resamples, seed {a.seed}")


def interval(values):
    lo, hi = np.percentile(counts @ values / counts.sum(1) * 100, [2.5, 97.5])
    return lo, hi


for km in (float(k) for k in a.km.split(",")):
    b = np.array([base[i] <= km for i in ids], dtype=float)
    c = np.array([cand[i] <= km for i in ids], dtype=float)
    d = c - b
    (blo, bhi), (clo, chi), (lo, hi) = interval(b), interval(c), interval(d)
    print(f"{km:g} km: {a.baseline} {100 * b.mean():.1f} % ({blo:.1f} to {bhi:.1f}), {a.candidate} {100 * c.mean():.1f} % "
          f"({clo:.1f} to {chi:.1f}); gain {100 * d.mean():+.1f} points over {len(ids)} images; {int((d > 0).sum())} moved inside, "
          f"{int((d < 0).sum())} outside; 95 % bootstrap interval {lo:+.1f} to {hi:+.1f}")
