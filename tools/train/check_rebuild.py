#!/usr/bin/python3
"""Compares a rebuilt g3-mini (tools/train/rebuild.sh) with the shipped one; exit 0 when it reproduces.

    /usr/bin/python3 tools/train/check_rebuild.py --shipped models/g3-mini --rebuilt data/rebuild/model

Tolerance (why: the GPS head is retrained on CPU, where thread scheduling and library versions can change
floating-point sums, so a rebuild need not be bit-identical; what it must do is measure the same):
  * photo counts: the training log's training_photos and database_photos are equal;
  * frozen parts: image.onnx's convolutions, trunk and retrieval head are byte-equal (so the store and
    top-1 retrieval are the shipped ones), and row (a) of the K = 0 table is identical;
  * evaluation: rows (b) consensus and (b0) G3's argmax of the K = 0 table (the 1,000 seed-1 query photos,
    a validation split) within TOLERANCE_POINTS at every distance. One query is 0.1 point; a 95 % bootstrap
    interval on these rows is about +-3 points, so 1 point is a third of the sampling noise;
  * calibration: the expected calibration error within TOLERANCE_ECE.
The landmark rows (59 queries: one query is 1.7 points) and the OOD rates are printed, not checked.
"""
import argparse
import json
import re
import sys
from pathlib import Path

import onnx
from onnx import numpy_helper

TOLERANCE_POINTS = 1.0
TOLERANCE_ECE = 0.02
CHECKED_ROWS = ("(b) verifier's pick among top-10 (consensus)", "(b0) G3's plain argmax among top-10")
IDENTICAL_ROWS = ("(a) top-1 retrieved neighbour",)


def accuracy_table(path):
    rows = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith(("(", "landmark", "best")):
            rows[cells[0]] = [float(c) for c in cells[1:]]
    if not rows:
        raise SystemExit(f"{path} holds no K = 0 table")
    return rows


def calibration(path):
    text = Path(path).read_text(encoding="utf-8")
    ece = re.search(r"ECE \(200 km hit\): calibrated ([0-9.]+)", text)
    consensus = re.search(r"ConsensusOptions \{([^}]*)\}", text)
    ood = re.search(r"all non-place images \| ([0-9.]+) %", text)
    queries = re.search(r"query photos \(world, held out from the fit\) \| ([0-9.]+) %", text)
    return {"ece": float(ece.group(1)) if ece else None, "consensus": consensus.group(1).strip() if consensus else None,
            "ood_nonplace": ood and float(ood.group(1)), "ood_queries": queries and float(queries.group(1))}


def frozen_weights(path):
    """The image model's frozen tensors: the convolutions in graph order, the trunk and the retrieval head."""
    graph = onnx.load(str(path)).graph
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    convs = [(init[n.input[1]], init[n.input[2]]) for n in graph.node if n.op_type == "Conv"]
    named = [init[k] for k in ("trunk.0.weight", "trunk.0.bias", "retrieval.weight", "retrieval.bias")]
    return [t for pair in convs for t in pair] + named, [init[k] for k in sorted(init) if k.startswith("gps.")]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shipped", required=True)
    p.add_argument("--rebuilt", required=True)
    args = p.parse_args()
    shipped, rebuilt = Path(args.shipped), Path(args.rebuilt)
    failures = []

    logs = [json.loads((d / "gps-head-training-log.json").read_text()) for d in (shipped, rebuilt)]
    for key in ("training_photos", "database_photos"):
        ok = logs[0][key] == logs[1][key]
        print(f"{key}: shipped {logs[0][key]}, rebuilt {logs[1][key]} {'ok' if ok else 'DIFFERENT'}")
        if not ok:
            failures.append(key)
    print(f"rebuilt photos per world: {logs[1].get('photos_per_world')}; train {logs[1]['train_seconds']} s, data {logs[1]['data_seconds']} s")

    (frozen_s, head_s), (frozen_r, head_r) = frozen_weights(shipped / "image.onnx"), frozen_weights(rebuilt / "image.onnx")
    same_frozen = len(frozen_s) == len(frozen_r) and all(a.shape == b.shape and (a == b).all() for a, b in zip(frozen_s, frozen_r))
    print(f"frozen trunk and retrieval head: {'byte-equal' if same_frozen else 'DIFFERENT'}")
    if not same_frozen:
        failures.append("frozen weights")
    head_diff = max(float(abs(a - b).max()) for a, b in zip(head_s, head_r)) if len(head_s) == len(head_r) else float("nan")
    print(f"GPS head: largest absolute weight difference {head_diff:.3g} (0 = bit-identical; informational)")

    last = [[e for e in log["epochs_log"] if e["epoch"] > 0][-1]["heldout"] for log in logs]
    for key in ("verified_s10", "gps_gallery"):
        print(f"torch-side seed-2 validation, last epoch, {key} % within 25 / 200 km: shipped {last[0][key][1]} / {last[0][key][2]}, "
              f"rebuilt {last[1][key][1]} / {last[1][key][2]}")

    tables = [accuracy_table(d / "accuracy-k0.txt") for d in (shipped, rebuilt)]
    print("\nK = 0 table, seed-1 query photos (validation), % within 1 / 25 / 200 / 750 / 2500 km:")
    for row in tables[0]:
        a, b = tables[0][row], tables[1].get(row)
        diff = None if b is None else max(abs(x - y) for x, y in zip(a, b))
        verdict = ""
        if row in IDENTICAL_ROWS:
            verdict = "identical" if diff == 0 else "DIFFERENT"
            if diff != 0:
                failures.append(row)
        elif row in CHECKED_ROWS:
            verdict = f"within {TOLERANCE_POINTS}" if diff is not None and diff <= TOLERANCE_POINTS else "OUTSIDE TOLERANCE"
            if not (diff is not None and diff <= TOLERANCE_POINTS):
                failures.append(row)
        print(f"  {row}: shipped {a}, rebuilt {b}, largest difference {diff if diff is None else round(diff, 1)} {verdict}")

    cal = [calibration(d / "calibration-report.txt") for d in (shipped, rebuilt)]
    print(f"\nconsensus settings: shipped {{{cal[0]['consensus']}}}, rebuilt {{{cal[1]['consensus']}}}")
    print(f"OOD flagged, non-place images / query photos %: shipped {cal[0]['ood_nonplace']} / {cal[0]['ood_queries']}, "
          f"rebuilt {cal[1]['ood_nonplace']} / {cal[1]['ood_queries']}")
    ece_ok = cal[1]["ece"] is not None and abs(cal[0]["ece"] - cal[1]["ece"]) <= TOLERANCE_ECE
    print(f"ECE: shipped {cal[0]['ece']}, rebuilt {cal[1]['ece']} {'within' if ece_ok else 'OUTSIDE'} {TOLERANCE_ECE}")
    if not ece_ok:
        failures.append("ECE")

    if failures:
        print(f"\nNOT REPRODUCED: {', '.join(failures)}")
        return 1
    print(f"\nREPRODUCED within the stated tolerance ({TOLERANCE_POINTS} point, ECE {TOLERANCE_ECE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
