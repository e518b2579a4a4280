#!/usr/bin/python3
"""Paired gain of one configuration over another in a `g3 eval` run's raw results, with a bootstrap interval.

    /usr/bin/python3 tools/eval/paired_gain.py docs/eval/synthetic-ablation/results.jsonl.gz \
        "top-1 retrieval (S=1)" "verifier, S=10" [--km 25,200] [--resamples 10000] [--seed 0]

For each threshold: the gain in points (% of images within it), how many images moved inside and
outside, and the 95 % interval of the gain from resampling the images (both configurations together).
"""
import argparse
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
a = p.parse_args()

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
rng = np.random.default_rng(a.seed)
picks = rng.integers(0, len(ids), (a.resamples, len(ids)))
for km in (float(k) for k in a.km.split(",")):
    d = np.array([(cand[i] <= km) - (base[i] <= km) for i in ids], dtype=float)
    lo, hi = np.percentile(d[picks].mean(1) * 100, [2.5, 97.5])
    print(f"{km:g} km: gain {100 * d.mean():+.1f} points over {len(ids)} images; {int((d > 0).sum())} moved inside, "
          f"{int((d < 0).sum())} outside; 95 % bootstrap interval {lo:+.1f} to {hi:+.1f}")
