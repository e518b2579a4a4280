#!/usr/bin/python3
"""Per-level expected calibration error of one configuration in a `g3 eval` run's raw results, with a bootstrap interval.

    /usr/bin/python3 tools/eval/level_ece.py docs/eval/synthetic-levels/results.jsonl.gz "verifier, S=10" \
        [--resamples 2000] [--seed 0]

Per level (country, region, city): the ECE over ten equal-width confidence bins (the report's, LevelReliability), the
answers' confidence against whether the answered unit was right, and its 95 % percentile interval from resampling the
images. ECE is biased upward on a resample (each bin's hit rate gets noisier), so the interval mostly lies above it.
"""
import argparse
import gzip
import json

import numpy as np

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("results")
p.add_argument("configuration")
p.add_argument("--resamples", type=int, default=2000)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()

levels = {}
with gzip.open(a.results, "rt") if a.results.endswith(".gz") else open(a.results) as f:
    for line in f:
        r = json.loads(line)
        if r["configuration"] != a.configuration:
            continue
        for level in r.get("levels") or []:
            levels.setdefault(level["level"], []).append((level["confidence"], bool(level["right"])))
if not levels:
    raise SystemExit(f"no per-level answers for configuration '{a.configuration}' in {a.results}")


def ece(conf, right):
    # Bins [b/10, (b+1)/10), the last one closed, as LevelReliability.Build.
    bins = np.minimum((conf * 10).astype(int), 9)
    total = 0.0
    for b in range(10):
        m = bins == b
        if m.any():
            total += m.sum() * abs(conf[m].mean() - right[m].mean())
    return total / len(conf)


rng = np.random.default_rng(a.seed)
for name, answers in levels.items():
    conf = np.array([c for c, _ in answers])
    right = np.array([r for _, r in answers], dtype=float)
    values = [ece(conf[i], right[i]) for i in rng.integers(0, len(conf), (a.resamples, len(conf)))]
    lo, hi = np.percentile(values, [2.5, 97.5])
    print(f"{name}: ECE {ece(conf, right):.3f} over {len(conf)} answers; 95 % bootstrap interval {lo:.3f} to {hi:.3f} "
          f"({a.resamples} resamples, seed {a.seed})")
