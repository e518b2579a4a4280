#!/usr/bin/python3
"""Trains g3-mini's text tower LiT-style against the FROZEN bundled image and location towers, and
exports it (text.onnx + vocab.json + merges.txt + the manifest's "text" section). One command, minutes:

    dotnet <g3.dll> describe --world WORLD --out TEXT            # descriptions of both splits (C#)
    /usr/bin/python3 tools/text/train_text_tower.py --world WORLD --descriptions TEXT --model models/g3-mini

Steps (Debian's interpreter: python3-torch, python3-torchvision, python3-pil, python3-onnx, python3-regex):
 1. BPE vocabulary (CLIP's format) from the database split's descriptions (clip_bpe.learn), and the
    tokenizer parity fixture for the C# test (make_token_fixture.py).
 2. Frozen targets, computed with the model's own ONNX files through ONNX Runtime (the service's native
    library): e_img of every database photo (image.onnx's retrieval output, on the 224x224 crop the
    service feeds it) and the location embedding of every database photo's coordinates (location.onnx,
    the manifest's projection). Cached per ONNX file hash, so a new image/location model is picked up.
 3. LiT: only the text tower learns. Its two outputs are pulled toward the frozen spaces with soft
    InfoNCE over the batch: text_embedding <-> e_img (so text searches the reference collection) and
    gps_embedding <-> location embeddings (so text scores candidate locations, GeoCLIP's text query);
    targets spread over photos of the batch by distance (exp(-d/tau) at tau = 1, 25, 300 km, averaged),
    so a description is not pushed away from photos of the same place.
 4. Evaluation on the held-out query descriptions with the service's text-query rule (retrieve the top
    S references by text_embedding, choose among their locations by gps_embedding), torch-side; the
    service-side figures come from `g3 eval-text`.
 5. Export with an ONNX Runtime agreement check (max |onnx - torch| <= 1e-4), manifest update,
    text-training-log.json.
The text tower is tools/export/checkpoint_modules.ClipText at a small size: CLIP's text transformer
(causal, pooled at the end token) with a projection to the retrieval space and an MLP to the GPS space,
so the bundled tower and an exported CLIP text tower share one ONNX contract.
"""
import argparse
import csv
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tools" / "export"))
sys.path.insert(0, str(REPO / "tools" / "onnx"))
sys.path.insert(0, str(REPO / "tools" / "train"))
import clip_bpe  # noqa: E402
import g3_models  # noqa: E402
from checkpoint_modules import ClipText, TextConfig  # noqa: E402
from losses import LogitScale, haversine_km  # noqa: E402
from ort_runner import Runtime  # noqa: E402

THRESHOLDS_KM = (1, 25, 200, 750, 2500)
TOLERANCE = 1e-4


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--world", required=True, help="the synthetic world (read only): photos and world.json")
    p.add_argument("--descriptions", default=None, help="folder holding mp16pro/ and im2gps3k/descriptions.csv (default: --world)")
    p.add_argument("--model", default=str(REPO / "models/g3-mini"), help="model folder: frozen image/location towers in, text tower out")
    p.add_argument("--cache", default=None, help="folder for crops and frozen targets (default: DESCRIPTIONS/cache)")
    p.add_argument("--merges", type=int, default=1500)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--lr", type=float, default=4e-3)
    # Small on purpose: it trains in minutes on two shared CPU cores and text.onnx stays well under a few MB.
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--heads", type=int, default=2)
    p.add_argument("--context", type=int, default=clip_bpe.CONTEXT_LENGTH)
    p.add_argument("--taus-km", default="1,25,300")
    p.add_argument("--s", type=int, default=50, help="references the text query retrieves and chooses among")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    return p.parse_args()


def read_descriptions(path):
    if not path.exists():
        raise SystemExit(f"{path} does not exist; write it with `g3 describe --world WORLD --out {path.parents[1]}`")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ids = [r["IMG_ID"] for r in rows]
    coords = np.array([(float(r["LAT"]), float(r["LON"])) for r in rows], dtype=np.float64)
    return ids, coords, [r["description"] for r in rows]


def sha8(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def frozen_targets(model_dir, manifest, world, db_ids, db_coords, cache, threads):
    """e_img [N,Dr] of the database photos and location embeddings [N,Dg] of their coordinates, L2-normalised."""
    from world_data import Split, cached_crops
    image_file, location_file = model_dir / manifest["image"]["file"], model_dir / manifest["location"]["file"]
    target_file = cache / f"targets-{sha8(image_file)}-{sha8(location_file)}.npz"
    if target_file.exists():
        t = np.load(target_file)
        return t["image"], t["location"]
    split = Split(world, "mp16pro/metadata.csv", "mp16pro/images")
    if split.ids != db_ids:
        raise SystemExit("the descriptions' IMG_IDs do not match the world's metadata.csv; describe this world again")
    t0 = time.time()
    crops = cached_crops(split, cache / "database_224_u8.npy", workers=threads)
    print(f"  224x224 crops ready in {time.time() - t0:.0f} s", flush=True)
    from world_data import normalize
    runtime = Runtime()
    image = runtime.session(image_file, threads)
    out_name = manifest["image"]["retrieval"]["output"]
    e_img = np.concatenate([image.run({manifest["image"]["input"]: normalize(crops[i:i + 128]).numpy()}, [out_name])[0]
                            for i in range(0, len(crops), 128)])
    image.close()
    location = runtime.session(location_file, threads)
    coords = g3_models.project([tuple(p) for p in db_coords], manifest["location"]["projection"])
    e_loc = location.run({manifest["location"]["input"]: coords}, [manifest["location"]["output"]])[0]
    location.close()
    e_img = e_img / np.linalg.norm(e_img, axis=1, keepdims=True)
    e_loc = e_loc / np.linalg.norm(e_loc, axis=1, keepdims=True)
    np.savez(target_file, image=e_img.astype(np.float32), location=e_loc.astype(np.float32))
    print(f"  frozen targets from {image_file.name} and {location_file.name} in {time.time() - t0:.0f} s", flush=True)
    return e_img.astype(np.float32), e_loc.astype(np.float32)


def build_model(vocab_size, args, retrieval_dim, gps_dim):
    c = TextConfig(vocab=vocab_size, hidden=args.width, layers=args.layers, heads=args.heads,
                   intermediate=2 * args.width, context=args.context, projection=retrieval_dim)
    head = nn.Sequential(nn.Linear(retrieval_dim, 2 * args.width), nn.ReLU(), nn.Linear(2 * args.width, gps_dim))
    return ClipText(c, head), c


def soft_targets(coords, taus):
    d = haversine_km(coords, coords)
    return sum(torch.softmax(-d / t, dim=1) for t in taus) / len(taus)


def soft_ce(logits, targets):
    return -(targets * F.log_softmax(logits, dim=1)).sum(1).mean()


@torch.no_grad()
def encode(model, ids, batch=512):
    model.eval()
    r, g = [], []
    for i in range(0, len(ids), batch):
        chunk = ids[i:i + batch]
        t = int((chunk != 0).sum(1).max())  # causal: columns after every row's end token change nothing
        a, b = model(torch.from_numpy(chunk[:, :max(t, 2)]))
        r.append(F.normalize(a, dim=-1))
        g.append(F.normalize(b, dim=-1))
    return torch.cat(r), torch.cat(g)


def accuracy(pred, truth):
    d = haversine_km(torch.as_tensor(pred, dtype=torch.float64), torch.as_tensor(truth, dtype=torch.float64)).diagonal()
    return [round(100.0 * (d <= t).double().mean().item(), 1) for t in THRESHOLDS_KM]


@torch.no_grad()
def evaluate(model, q_ids, q_coords, db_image, db_loc, db_coords, s):
    """The service's rule: top-S references by text_embedding, then the best of their locations by gps_embedding."""
    t_r, t_g = encode(model, q_ids)
    db_image, db_loc, db_coords_t = torch.from_numpy(db_image), torch.from_numpy(db_loc), torch.from_numpy(db_coords)
    top = (t_r @ db_image.T).topk(s, dim=1).indices
    scores = torch.einsum("qd,qsd->qs", t_g, db_loc[top])
    chosen = top.gather(1, scores.argmax(1, keepdim=True)).squeeze(1)
    return {
        "top1_reference": accuracy(db_coords_t[top[:, 0]], q_coords),
        f"text_query_s{s}": accuracy(db_coords_t[chosen], q_coords),
        "gps_gallery_all": accuracy(db_coords_t[(t_g @ db_loc.T).argmax(1)], q_coords),
    }


def export(model, c, path, probe_ids):
    model.eval()
    torch.onnx.export(model, (torch.from_numpy(probe_ids[:2]),), str(path), input_names=["input_ids"],
                      output_names=["text_embedding", "gps_embedding"],
                      dynamic_axes={"input_ids": {0: "batch"}, "text_embedding": {0: "batch"}, "gps_embedding": {0: "batch"}},
                      opset_version=17)
    session = Runtime().session(path)
    got = session.run({"input_ids": probe_ids}, ["text_embedding", "gps_embedding"])
    session.close()
    with torch.no_grad():
        want = [t.numpy() for t in model(torch.from_numpy(probe_ids))]
    err = max(float(np.abs(w - g).max()) for w, g in zip(want, got))
    if not err <= TOLERANCE:
        raise SystemExit(f"text.onnx disagrees with torch: max |onnx - torch| = {err:.2e} > {TOLERANCE:g}")
    return err


def main():
    args = parse_args()
    t_start = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    model_dir, world = Path(args.model), Path(args.world)
    text_dir = Path(args.descriptions or args.world)
    cache = Path(args.cache or text_dir / "cache")
    cache.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((model_dir / "manifest.json").read_text())
    taus = [float(t) for t in args.taus_km.split(",")]

    db_ids, db_coords, db_text = read_descriptions(text_dir / "mp16pro" / "descriptions.csv")
    _, q_coords, q_text = read_descriptions(text_dir / "im2gps3k" / "descriptions.csv")
    vocab, merges = clip_bpe.learn(db_text, args.merges)
    clip_bpe.write(model_dir, vocab, merges)
    bpe = clip_bpe.ClipBpe(vocab, merges)
    db_tok = np.array([bpe.tokenize(t, args.context) for t in db_text], dtype=np.int64)
    q_tok = np.array([bpe.tokenize(t, args.context) for t in q_text], dtype=np.int64)
    truncated = int(sum(len(bpe.encode(t)) > args.context - 2 for t in db_text))
    print(f"vocabulary: {len(vocab)} tokens ({len(merges)} merges); {truncated} of {len(db_text)} descriptions truncated", flush=True)

    e_img, e_loc = frozen_targets(model_dir, manifest, world, db_ids, db_coords, cache, args.threads)
    t_data = time.time() - t_start

    model, config = build_model(len(vocab), args, e_img.shape[1], e_loc.shape[1])
    s_img, s_gps = LogitScale(), LogitScale()
    params = list(model.parameters()) + list(s_img.parameters()) + list(s_gps.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4)
    steps_per_epoch = len(db_tok) // args.batch
    total = steps_per_epoch * args.epochs
    warmup = max(1, steps_per_epoch // 2)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, total - warmup))))
    img_t, loc_t, coords_t = torch.from_numpy(e_img), torch.from_numpy(e_loc), torch.from_numpy(db_coords).float()
    log = []
    t_train = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(len(db_tok))
        sums, t_epoch = {"image": 0.0, "gps": 0.0}, time.time()
        for step in range(steps_per_epoch):
            idx = torch.from_numpy(order[step * args.batch:(step + 1) * args.batch])
            ids = db_tok[idx.numpy()]
            ids = torch.from_numpy(ids[:, :int((ids != 0).sum(1).max())])
            features, gps = model(ids)
            t_r, t_g = F.normalize(features, dim=-1), F.normalize(gps, dim=-1)
            targets = soft_targets(coords_t[idx], taus)
            li = s_img() * t_r @ img_t[idx].T
            lg = s_gps() * t_g @ loc_t[idx].T
            losses = {"image": 0.5 * (soft_ce(li, targets) + soft_ce(li.T, targets.T)),
                      "gps": 0.5 * (soft_ce(lg, targets) + soft_ce(lg.T, targets.T))}
            loss = losses["image"] + losses["gps"]
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            for k, v in losses.items():
                sums[k] += v.item()
            if step % 20 == 0:
                print(f"  epoch {epoch + 1} step {step}/{steps_per_epoch} loss {loss.item():.3f} ({time.time() - t_epoch:.0f} s)", flush=True)
        entry = {"epoch": epoch + 1, "seconds": round(time.time() - t_epoch, 1),
                 **{k: round(v / steps_per_epoch, 4) for k, v in sums.items()},
                 "logit_scale_image": round(s_img().item(), 2), "logit_scale_gps": round(s_gps().item(), 2)}
        log.append(entry)
        print(json.dumps(entry), flush=True)
    train_seconds = time.time() - t_train

    table = evaluate(model, q_tok, q_coords, e_img, e_loc, db_coords, args.s)
    print("| rule | " + " | ".join(f"{t} km" for t in THRESHOLDS_KM) + " |")
    for k, v in table.items():
        print(f"| {k} | " + " | ".join(f"{x:.1f}" for x in v) + " |")

    err = export(model, config, model_dir / "text.onnx", q_tok[:16])
    manifest["text"] = {
        "file": "text.onnx", "input": "input_ids", "contextLength": args.context,
        "tokenizer": {"kind": "clip-bpe", "vocab": "vocab.json", "merges": "merges.txt"},
        "retrieval": {"output": "text_embedding", "dim": int(e_img.shape[1]), "normalize": True},
        "gps": {"output": "gps_embedding", "dim": int(e_loc.shape[1]), "normalize": True},
        "logitScale": round(s_gps().item(), 4),
    }
    # Plain two-space JSON, the layout the committed manifest already has, so only the "text" section changes.
    (model_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    summary = {
        "world_seed": json.loads((world / "world.json").read_text())["seed"], "database": len(db_tok), "queries": len(q_tok),
        "frozen": {"image": f"{manifest['image']['file']} sha256:{sha8(model_dir / manifest['image']['file'])}",
                   "location": f"{manifest['location']['file']} sha256:{sha8(model_dir / manifest['location']['file'])}"},
        "vocab": len(vocab), "merges": len(merges), "truncated_descriptions": truncated,
        "config": {"width": args.width, "layers": args.layers, "heads": args.heads, "context": args.context,
                   "parameters": sum(p.numel() for p in model.parameters())},
        "epochs": args.epochs, "batch": args.batch, "lr": args.lr, "taus_km": taus, "s": args.s, "seed": args.seed,
        "threads": args.threads, "data_seconds": round(t_data, 1), "train_seconds": round(train_seconds, 1),
        "onnx_max_abs_diff": err, "torch": torch.__version__, "epochs_log": log, "torch_eval_heldout": table,
    }
    (model_dir / "text-training-log.json").write_text(json.dumps(summary, indent=2) + "\n")
    import subprocess
    subprocess.run([sys.executable, str(HERE / "make_token_fixture.py"), "--tokenizer", str(model_dir), "--context", str(args.context)], check=True)
    print(f"done in {time.time() - t_start:.0f} s (data {t_data:.0f} s, training {train_seconds:.0f} s); "
          f"text.onnx {(model_dir / 'text.onnx').stat().st_size / 1e6:.1f} MB, onnx-torch {err:.1e}")


if __name__ == "__main__":
    main()
