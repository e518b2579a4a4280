#!/usr/bin/python3
"""Trains g3-mini, G3's geo-alignment at small scale, on the synthetic world's database split, and
exports it to the service's ONNX contract (image model with two outputs, location model, manifest).

Run with Debian's interpreter (python3-torch, python3-torchvision, python3-pil, python3-onnx; from
`scripts/bootstrap.sh --tools`), CPU only, two threads:

    dotnet src/G3.Host/bin/Release/net10.0/g3.dll synth --seed 1 --out data/mp16pro/generated/world
    /usr/bin/python3 tools/train/train_g3_mini.py --world data/mp16pro/generated/world --out models/g3-mini
    /usr/bin/python3 tools/train/train_g3_mini.py --no-text --out data/mp16pro/generated/g3-mini-no-text   # ablation

Losses (each a symmetric InfoNCE with its own learnable logit scale, see losses.py):
  image(e_gps^image) <-> GPS(e_gps) + hard nearby GPS negatives, distance-aware targets
                                                         G3's image-to-GPS alignment (the verifier's)
  image(e_img)       <-> text(e_text)                    G3's image-to-text alignment   [text branch]
  GPS(e_gps)         <-> text(e_text)                    ties the location space to place names [text branch]
  image(e_img)       <-> image(e_img), geo-soft targets at 1, 25 and 300 km
                                                         nearby photos retrieve each other

v2 batches: B anchor photos plus, for each, a nearby partner (same landmark or street when the
world has one, else the same city or region; hard_negatives.py), and each anchor brings three
more GPS negatives 1-25, 25-200 and 200-1000 km away. The network sees 112x112 crops (the
2x2-pooled 224 input, as its ONNX graph pools first). Every epoch writes a checkpoint, so a run
that is stopped early can still be exported (--export-from).
--no-text drops the text branch (the paper's IMG+GPS ablation); e_img is then trained by the
image<->image term alone.

The run is seeded (torch, numpy) and uses deterministic CPU kernels where torch has them; the same
world, seed and thread count give the same weights.
"""
import argparse
import json
import math
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from g3_mini_model import (EMBED_DIM, SIGMAS_V2, MiniImageEncoder, PlaceTextEncoder, g3_models, l2n,  # noqa: E402
                           location_encoder, mercator)
from hard_negatives import band_neighbours, hard_negatives, partners  # noqa: E402
from losses import LogitScale, image_gps_loss, info_nce, multiscale_geo_neighbour_loss  # noqa: E402
from torch_eval import accuracy_table, encode_images, format_table  # noqa: E402
from world_data import TEXT_BUCKETS, cached_crops, load_world, normalize, place_tokens  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--world", default=str(REPO / "data/mp16pro/generated/world"), help="folder written by `g3 synth`")
    p.add_argument("--out", default=str(REPO / "models/g3-mini"), help="where the ONNX files and manifest go")
    p.add_argument("--cache", default=None, help="folder for the uint8 crop cache (default: WORLD/cache)")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch", type=int, default=128, help="anchor photos per step (each brings a nearby partner)")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--taus-km", default="1,25,300", help="distance scales of the image<->image targets")
    p.add_argument("--gps-tau-km", type=float, default=1.0, help="distance scale of the image<->GPS targets")
    p.add_argument("--heldout", default=None, help="a world of held-out photos (another seed) to monitor every epoch")
    p.add_argument("--eval-every", type=int, default=2, help="epochs between held-out evaluations")
    p.add_argument("--export-from", default=None, help="export this checkpoint (.pt) instead of training")
    p.add_argument("--init", default=None, help="start from this checkpoint (.pt) instead of random weights (fine-tuning)")
    p.add_argument("--mined", type=int, default=0,
                   help="per anchor, this many more GPS negatives: the locations of its top image-retrieval neighbours "
                        "under the starting weights, i.e. the candidates the verifier will have to choose among")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-text", action="store_true", help="drop the text branch (IMG+GPS ablation)")
    p.add_argument("--limit", type=int, default=0, help="use only the first N database photos (smoke tests)")
    p.add_argument("--verify-s", type=int, default=10, help="S, retrieved candidates the verifier chooses among")
    return p.parse_args()


class Alignment(torch.nn.Module):
    """All trainable parts, so one optimiser and one state dict hold them."""

    def __init__(self, seed, text):
        super().__init__()
        torch.manual_seed(seed)
        self.image = MiniImageEncoder()
        self.location = location_encoder(seed=seed + 1, sigmas=SIGMAS_V2)
        self.text = PlaceTextEncoder(TEXT_BUCKETS) if text else None
        self.s_image_gps = LogitScale()
        self.s_image_image = LogitScale()
        self.s_image_text = LogitScale() if text else None
        self.s_gps_text = LogitScale() if text else None


def train(args):
    t_start = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    rng = np.random.default_rng(args.seed)
    text = not args.no_text
    taus = [float(t) for t in args.taus_km.split(",")]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    database, queries = load_world(args.world)
    if args.limit:
        database.truncate(args.limit)
        queries.truncate(max(1, args.limit // 20))
    cache = Path(args.cache or Path(args.world) / "cache")
    db_crops = np.ascontiguousarray(cached_crops(database, cache / "database_112_u8.npy", workers=args.threads, pooled=True))
    q_crops = cached_crops(queries, cache / "queries_112_u8.npy", workers=args.threads, pooled=True)
    held = None
    if args.heldout:
        _, held = load_world(args.heldout)
        held_crops = cached_crops(held, Path(args.heldout) / "cache" / "queries_112_u8.npy", workers=args.threads, pooled=True)
    db_proj = mercator(database.coords)
    db_coords = torch.from_numpy(database.coords).float()
    tok_ids, tok_mask, text_id = (torch.from_numpy(a) for a in place_tokens(database.places))
    neigh = band_neighbours(database.coords, seed=args.seed)
    t_data = time.time() - t_start
    with_partner = (neigh[:, :3, 0] >= 0).any(1).mean()
    same_site = (neigh[:, 0, 0] >= 0).mean()
    print(f"data: {len(database)} database + {len(queries)} query photos ready in {t_data:.0f} s; "
          f"{100 * same_site:.1f} % have another photo within 1 km, {100 * with_partner:.1f} % one within 200 km", flush=True)

    model = Alignment(args.seed, text)
    if args.export_from:
        model.load_state_dict(torch.load(args.export_from)["model"])
        model.eval()
        export(model, out)
        print(f"exported {args.export_from} to {out}")
        return
    if args.init:
        state = torch.load(args.init)
        model.load_state_dict(state["model"] if "model" in state else state)
        print(f"starting from {args.init}", flush=True)
    mined = mine_retrieval_negatives(model, db_crops, args.mined) if args.mined else None
    scales = [p for n, p in model.named_parameters() if n.endswith(".t")]
    others = [p for n, p in model.named_parameters() if not n.endswith(".t")]
    opt = torch.optim.AdamW([{"params": others, "weight_decay": args.weight_decay},
                             {"params": scales, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = len(database) // args.batch
    total = steps_per_epoch * args.epochs
    warmup = max(1, steps_per_epoch // 2)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, total - warmup))))

    log = []
    t_train = time.time()
    cpu_start = time.process_time()
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(len(database))
        sums, t_epoch = {}, time.time()
        for step in range(steps_per_epoch):
            anchors = order[step * args.batch:(step + 1) * args.batch]
            mates = partners(neigh, anchors, rng)
            idx = np.concatenate([anchors, mates[mates >= 0]])
            negs = hard_negatives(neigh, anchors, rng)
            if mined is not None:
                negs = np.concatenate([negs, mined[anchors].reshape(-1)])
            pixels = normalize(db_crops[idx])
            flip = torch.from_numpy(rng.random(len(idx)) < 0.5)
            pixels[flip] = pixels[flip].flip(-1)  # scenes are left-right symmetric; a cheap augmentation
            tidx, tneg = torch.from_numpy(idx), torch.from_numpy(negs)

            e_img, e_img_gps = (l2n(x) for x in model.image.forward_small(pixels))
            e_gps_all = l2n(model.location(torch.cat([db_proj[tidx], db_proj[tneg]])))
            e_gps, e_neg = e_gps_all[:len(idx)], e_gps_all[len(idx):]
            losses = {
                "image_gps": image_gps_loss(e_img_gps, e_gps, db_coords[tidx], e_neg, db_coords[tneg],
                                            model.s_image_gps(), args.gps_tau_km),
                "image_image": multiscale_geo_neighbour_loss(e_img, db_coords[tidx], model.s_image_image(), taus),
            }
            if text:
                e_text = l2n(model.text(tok_ids[tidx], tok_mask[tidx]))
                same = text_id[tidx][:, None] == text_id[tidx][None, :]
                losses["image_text"] = info_nce(e_img, e_text, model.s_image_text(), same)
                losses["gps_text"] = info_nce(e_gps, e_text, model.s_gps_text(), same)
            loss = sum(losses.values())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            for k, v in losses.items():
                sums[k] = sums.get(k, 0.0) + v.item()
            if step % 20 == 0:
                print(f"  epoch {epoch + 1} step {step}/{steps_per_epoch} loss {loss.item():.3f} "
                      f"({time.time() - t_epoch:.0f} s)", flush=True)
        entry = {"epoch": epoch + 1, "seconds": round(time.time() - t_epoch, 1),
                 **{k: round(v / steps_per_epoch, 4) for k, v in sums.items()},
                 "logit_scale_image_gps": round(model.s_image_gps().item(), 3)}
        if held is not None and ((epoch + 1) % args.eval_every == 0 or epoch + 1 == args.epochs):
            model.eval()
            entry["heldout"] = accuracy_table(model.image.forward_small, model.location, db_crops, database.coords,
                                              held_crops, held.coords, s=args.verify_s)
        log.append(entry)
        torch.save({"model": model.state_dict(), "epoch": epoch + 1, "log": log}, cache / f"g3-mini-v2-epoch{epoch + 1}.pt")
        print(json.dumps(entry), flush=True)
    train_seconds = time.time() - t_train
    cpu_seconds = time.process_time() - cpu_start

    model.eval()
    table = accuracy_table(model.image.forward_small, model.location, db_crops, database.coords, q_crops, queries.coords, s=args.verify_s)
    print(format_table(table), flush=True)

    torch.save(model.state_dict(), cache / ("g3-mini" + ("-no-text" if not text else "") + ".pt"))
    export(model, out)
    summary = {
        "seed": args.seed, "world": {"seed": json.loads((Path(args.world) / "world.json").read_text())["seed"],
                                     "database": len(database), "queries": len(queries)},
        "text_branch": text, "epochs": args.epochs, "batch_anchors": args.batch, "lr": args.lr, "taus_km": taus,
        "gps_tau_km": args.gps_tau_km, "sigmas": SIGMAS_V2,
        "init": Path(args.init).name if args.init else None, "mined_negatives": args.mined,
        "threads": args.threads, "data_seconds": round(t_data, 1), "train_seconds": round(train_seconds, 1),
        "train_cpu_seconds": round(cpu_seconds, 1),
        "total_seconds": round(time.time() - t_start, 1), "torch": torch.__version__, "machine": platform.machine(),
        "logit_scale_image_gps": model.s_image_gps().item(), "epochs_log": log, "torch_eval": table,
    }
    (out / "training-log.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"total {summary['total_seconds']:.0f} s (data {t_data:.0f} s, training {train_seconds:.0f} s, "
          f"{cpu_seconds:.0f} CPU s); wrote {out}")


def mine_retrieval_negatives(model, db_crops, k):
    """Each database photo's top-k image-retrieval neighbours (itself excluded) under the current weights.

    At inference the verifier chooses among the retrieved photos' locations; training the GPS head
    against exactly those look-alikes (ANCE-style mined negatives) teaches it what retrieval confuses.
    Distance-aware targets keep neighbours that are truly nearby from being pushed away.
    """
    t = time.time()
    model.eval()
    e_img, _ = encode_images(model.image.forward_small, db_crops)
    top = np.empty((len(db_crops), k), dtype=np.int64)
    with torch.no_grad():
        for start in range(0, len(db_crops), 2048):
            sims = e_img[start:start + 2048] @ e_img.T
            rows = torch.arange(start, min(start + 2048, len(db_crops)))
            sims[rows - start, rows] = -2.0
            top[start:start + len(rows)] = sims.topk(k, dim=1).indices.numpy()
    model.train()
    print(f"mined {k} retrieval negatives per photo in {time.time() - t:.0f} s", flush=True)
    return top


def export(model, out):
    g3_models.export_image(model.image, str(out / "image.onnx"))
    g3_models.export_location(model.location, str(out / "location.onnx"))
    manifest = {
        "formatVersion": 1,
        "id": "g3-mini-v2",
        "modelCard": "MODEL_CARD.md",
        # Trained on L2-normalised embeddings with logits = exp(t) * cosine: the verifier does the same.
        "verification": {"metric": "cosine", "logitScale": round(model.s_image_gps().item(), 4)},
        "image": {
            "file": "image.onnx", "input": "pixels", "inputShape": [-1, 3, 224, 224],
            "retrieval": {"output": "image_embedding", "dim": EMBED_DIM, "normalize": True},
            "gps": {"output": "gps_embedding", "dim": EMBED_DIM, "normalize": True},
        },
        "preprocessing": {"inputSize": 224, "resize": "shortest-side-bicubic", "crop": "center",
                          "mean": g3_models.CLIP_MEAN, "std": g3_models.CLIP_STD},
        "location": {"file": "location.onnx", "input": "coords", "output": "embedding", "dim": EMBED_DIM,
                     "projection": "mercator", "normalize": True},
    }
    g3_models.write_json(out / "manifest.json", manifest)
    card = out / "MODEL_CARD.md"
    if not card.exists():  # the committed card is written by hand from training-log.json; never overwrite it
        card.write_text("# g3-mini (fresh training run)\n\nTrained by tools/train/train_g3_mini.py; "
                        "settings, timings and the torch-side accuracy table are in training-log.json.\n")


if __name__ == "__main__":
    train(parse_args())
