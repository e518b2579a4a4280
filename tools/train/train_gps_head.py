#!/usr/bin/python3
"""Retrains g3-mini's GPS head (e_gps^image, the verifier's image side) on more photos, the rest frozen.

Run with Debian's interpreter, CPU only. The shipped head's recipe is tools/train/rebuild.sh, which
generates the worlds and runs:

    /usr/bin/python3 tools/train/train_gps_head.py --base-onnx models/g3-mini --logit-scale 38.28876876831055 \
        --world WORLD --heldout HELDOUT --extra SEED3,SEED4,SEED5,SEED6,SEED7 --out OUT

--base-onnx takes the frozen parts from a model folder's image.onnx and location.onnx (onnx_base.py);
--checkpoint takes them from train_g3_mini.py's weights (WORLD/cache/g3-mini.pt) instead. The log
names the base it used and how many photos each world gave. Each extra world's crops are cached under
its own cache/ folder on first use.

Why: the verifier's head is a parametric model of "where does this look like", and with the 20,000
database photos alone it stays below nearest-neighbour retrieval (model card). A head learns that
from every photo of a region, so more photos help it where retrieval, which can only match the
database's own photos, does not gain. The extra photos are the query splits of other seeds' worlds
(same places and visual cues, different photos); the query set of seed 1 is never used.

What changes and what does not: the convolutional trunk, the retrieval head (e_img, so the store
stays valid) and the location encoder (so the text tower and the location embeddings stay valid)
are frozen. The linear head becomes an MLP (256 -> hidden -> 128), trained GeoCLIP-style against a
gallery of the database's location embeddings with soft targets: the mean over tau in --taus-km of
softmax(-d / tau) over the gallery, so it is rewarded for being near at every scale, not only at
the 1 km of the original loss. The logit scale is the checkpoint's learned image<->GPS scale, the
manifest's logitScale, which the verifier and its calibration keep using.

Writes OUT/image.onnx (the new head; e_img unchanged), OUT/gps-head-training-log.json and the
weights as WORLD/cache/g3-mini-gps-head.pt (its image.gps is the MLP). The manifest is left as it is; refit its verification sections with tools/train/Calibrate.cs afterwards.
"""
import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from g3_mini_model import MiniImageEncoder, g3_models, l2n  # noqa: E402
from losses import EARTH_RADIUS_KM  # noqa: E402
from torch_eval import THRESHOLDS_KM, accuracy, encode_locations  # noqa: E402
from train_g3_mini import Alignment  # noqa: E402
from onnx_base import load_frozen_from_onnx  # noqa: E402
from world_data import cached_crops, load_world, normalize  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--world", default=str(REPO / "data/mp16pro/generated/world"), help="the training world (database split = gallery)")
    base = p.add_mutually_exclusive_group(required=True)
    base.add_argument("--checkpoint", help="train_g3_mini.py's checkpoint (.pt) of the model to retrain")
    base.add_argument("--base-onnx", help="a model folder whose image.onnx and location.onnx hold the frozen parts (onnx_base.py)")
    p.add_argument("--logit-scale", type=float, default=None,
                   help="the image<->GPS logit scale (with --base-onnx, which holds none; the checkpoint's learned one otherwise)")
    p.add_argument("--extra", default="", help="comma-separated `g3 synth` worlds whose query splits add training photos")
    p.add_argument("--heldout", default=None, help="a world of held-out photos to report on every epoch")
    p.add_argument("--out", default=str(REPO / "models/g3-mini"))
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--taus-km", default="1,25,200")
    p.add_argument("--verify-s", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args()


def unit_vectors(coords_deg):
    c = torch.deg2rad(torch.as_tensor(coords_deg, dtype=torch.float64))
    return torch.stack([c[:, 0].cos() * c[:, 1].cos(), c[:, 0].cos() * c[:, 1].sin(), c[:, 0].sin()], 1).float()


@torch.no_grad()
def trunk_features(image, crops, batch=500):
    """The frozen trunk's 256-d feature (what both heads read) for uint8 112x112 crops."""
    return torch.cat([image.trunk_features(normalize(crops[i:i + batch])) for i in range(0, len(crops), batch)])


def soft_targets(u_batch, u_gallery, taus):
    """Mean over taus of softmax(-d / tau) over the gallery; d from the chord (exact enough where the weights matter)."""
    d = EARTH_RADIUS_KM * (2 - 2 * (u_batch @ u_gallery.T)).clamp_min(0).sqrt()
    return sum(torch.softmax(-d / t, dim=1) for t in taus) / len(taus)


@torch.no_grad()
def heldout_report(head, e_img_db, gallery, db_coords, held):
    """% within THRESHOLDS_KM on held-out photos: top-1 retrieval, G3's plain verifier over the top S, the head's gallery argmax."""
    h, e_img, coords, s = held
    g = l2n(head(h))
    top = (e_img @ e_img_db.T).topk(s, dim=1).indices
    best = torch.einsum("qd,qsd->qs", g, gallery[top]).argmax(1)
    picks = {"top1": top[:, 0], f"verified_s{s}": top.gather(1, best[:, None]).squeeze(1), "gps_gallery": (g @ gallery.T).argmax(1)}
    return {k: [round(v, 2) for v in accuracy(db_coords[i], coords)] for k, i in picks.items()}


def main(args):
    t0 = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    taus = [float(t) for t in args.taus_km.split(",")]
    if args.checkpoint:
        state = torch.load(args.checkpoint)
        state = state.get("model", state)
        model = Alignment(seed=1, text=any(k.startswith("text.") for k in state))
        model.load_state_dict(state)
        model.eval()
        base_head = "checkpoint (linear)"
    else:
        if args.logit_scale is None:
            raise SystemExit("--base-onnx needs --logit-scale (the ONNX files hold no logit scale)")
        # text=True as the v2 checkpoint had: its construction consumes the same random numbers, so the
        # head's initialisation and the shuffling below match a run from that checkpoint.
        model = load_frozen_from_onnx(Alignment(seed=1, text=True), args.base_onnx)
        base_head = f"shipped ({Path(args.base_onnx).name}/image.onnx)"
    scale = args.logit_scale if args.logit_scale is not None else model.s_image_gps().item()

    database, _ = load_world(args.world)
    cache = Path(args.world) / "cache"
    db_crops = cached_crops(database, cache / "database_112_u8.npy", workers=args.threads, pooled=True)
    feats, coords = [trunk_features(model.image, db_crops)], [database.coords]
    per_world = {"database": len(database)}
    for world in filter(None, args.extra.split(",")):
        _, photos = load_world(world)
        per_world[str(json.loads((Path(world) / "world.json").read_text())["seed"])] = len(photos)
        feats.append(trunk_features(model.image, cached_crops(photos, Path(world) / "cache" / "queries_112_u8.npy",
                                                              workers=args.threads, pooled=True)))
        coords.append(photos.coords)
    feats, units = torch.cat(feats), unit_vectors(np.concatenate(coords))
    gallery = encode_locations(model.location, database.coords)
    u_gallery = unit_vectors(database.coords)
    db_coords = torch.from_numpy(database.coords)
    held = None
    if args.heldout:
        _, hq = load_world(args.heldout)
        hc = cached_crops(hq, Path(args.heldout) / "cache" / "queries_112_u8.npy", workers=args.threads, pooled=True)
        with torch.no_grad():
            e_img_db = l2n(model.image.retrieval(feats[:len(database)]))
            h = trunk_features(model.image, hc)
        held = (h, l2n(model.image.retrieval(h)).detach(), hq.coords, args.verify_s)
    t_data = time.time() - t0
    print(f"data: {len(feats)} training photos ({len(database)} database), gallery {len(gallery)}, ready in {t_data:.0f} s", flush=True)

    head = nn.Sequential(nn.Linear(feats.shape[1], args.hidden), nn.ReLU(), nn.Linear(args.hidden, gallery.shape[1]))
    opt = torch.optim.AdamW(head.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = (len(feats) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.05)
    log = []
    if held:
        log.append({"epoch": 0, "head": base_head, "heldout": heldout_report(model.image.gps, e_img_db, gallery, db_coords, held)})
        print(json.dumps(log[-1]), flush=True)
    t_train = time.time()
    for epoch in range(args.epochs):
        head.train()
        total, t_epoch = 0.0, time.time()
        for idx in torch.randperm(len(feats)).split(args.batch):
            logits = scale * l2n(head(feats[idx])) @ gallery.T
            loss = -(soft_targets(units[idx], u_gallery, taus) * F.log_softmax(logits, dim=1)).sum(1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        head.eval()
        entry = {"epoch": epoch + 1, "loss": round(total / len(feats), 4), "seconds": round(time.time() - t_epoch, 1)}
        if held:
            entry["heldout"] = heldout_report(head, e_img_db, gallery, db_coords, held)
        log.append(entry)
        print(json.dumps(entry), flush=True)

    model.image.gps = head
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    g3_models.export_image(model.image, str(out / "image.onnx"))
    torch.save(model.state_dict(), Path(args.world) / "cache" / "g3-mini-gps-head.pt")
    summary = {
        "base": Path(args.checkpoint).name if args.checkpoint else f"{Path(args.base_onnx).name}/image.onnx + location.onnx",
        "training_photos": len(feats), "database_photos": len(database), "photos_per_world": per_world,
        "extra_worlds": [json.loads((Path(w) / "world.json").read_text())["seed"] for w in filter(None, args.extra.split(","))],
        "hidden": args.hidden, "epochs": args.epochs, "batch": args.batch, "lr": args.lr, "taus_km": taus,
        "logit_scale": scale, "thresholds_km": list(THRESHOLDS_KM), "threads": args.threads, "seed": args.seed,
        "data_seconds": round(t_data, 1), "train_seconds": round(time.time() - t_train, 1),
        "torch": torch.__version__, "machine": platform.machine(), "epochs_log": log,
    }
    (out / "gps-head-training-log.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"wrote {out / 'image.onnx'} in {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main(parse_args())
