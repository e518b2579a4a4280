#!/usr/bin/python3
"""Exports real G3 or GeoCLIP checkpoints to the service's ONNX contract (image.onnx with two outputs,
location.onnx with the projection outside the graph, manifest.json, MODEL_CARD.md).

Run with Debian's interpreter (python3-torch, python3-onnx; no transformers needed):

  G3 (github.com/PengyueJia/G3; one state dict holding vision_model.*, vision_projection.*,
  vision_projection_else_1/2.*, location_encoder.*, location_projection_else.*, logit_scale2):
    /usr/bin/python3 tools/export/export_checkpoint.py g3 --checkpoint g3.pth --out models/g3

  GeoCLIP (github.com/VicenteVivan/geo-clip; the weights folder of the geoclip package plus the
  CLIP ViT-L/14 vision tower saved from transformers as a state dict):
    /usr/bin/python3 tools/export/export_checkpoint.py geoclip --weights geoclip/model/weights \\
        --clip-vision clip_vit_l14_vision.pth --out models/geoclip

  Random weights at real size (for GPU measurements: bench/gpu/check.sh), optionally with a float16
  image model beside it (tools/export/export_float16.py, agreement written on the model card):
    /usr/bin/python3 tools/export/export_checkpoint.py random --vit l14 --seed 0 --out /tmp/g3-vitl14 --float16

  Any export takes --float16 the same way.

  CLIP's text tower (optional; text queries, as GeoCLIP's): add --text-tokenizer DIR (CLIP's vocab.json
  and merges.txt, e.g. from openai/clip-vit-large-patch14) and, for GeoCLIP, --clip-text with CLIP's
  text_model.* and text_projection.weight saved from transformers; a G3 checkpoint already holds them.
  text.onnx takes input_ids [N,77] (int64, clip.tokenize's layout) and gives text_embedding (CLIP's text
  features: the retrieval space when the image model's retrieval output is CLIP's image features) and
  gps_embedding (the image model's GPS head applied to the text features, GeoCLIP's text query):
    /usr/bin/python3 tools/export/export_checkpoint.py geoclip --weights ... --clip-vision ... \\
        --clip-text clip_vit_l14_text.pth --text-tokenizer clip-tokenizer/ --out models/geoclip

  Self-test (no real weights needed): randomly initialised modules of both architectures, real
  location encoder size (3 x 512->1024->1024->1024->512), a narrow ViT of CLIP's structure, exported
  to a temporary folder and run with ONNX Runtime (the bootstrap's native library, via ctypes);
  outputs must match torch within 1e-4:
    /usr/bin/python3 tools/export/export_checkpoint.py --self-test

A real ViT-L/14 image model is about 1.2 GB of float32 weights; ONNX's protobuf limit is 2 GB, so one
file holds it.
"""
import argparse
import math
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "onnx"))
import g3_models  # noqa: E402  (projections, ONNX export helpers, JSON writer)
from checkpoint_modules import ClipText, G3Image, G3Location, GeoClipImage, LocationEncoder, TextConfig, VitConfig  # noqa: E402

TOLERANCE = 1e-4


def _load(path):
    obj = torch.load(path, map_location="cpu")
    if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict):
        obj = obj["state_dict"]
    if not isinstance(obj, dict):
        raise SystemExit(f"{path}: expected a state dict (a mapping of parameter names to tensors)")
    return obj


def _take(state, prefix):
    """The entries under `prefix.` with the prefix removed."""
    return {k[len(prefix) + 1:]: v for k, v in state.items() if k.startswith(prefix + ".")}


def _load_strict(module, state, what):
    # Older transformers releases saved embeddings.position_ids (a constant); it is rebuilt here.
    state = {k: v for k, v in state.items() if not k.endswith("position_ids")}
    missing, unexpected = module.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"{what}: the checkpoint does not match the architecture; "
                         f"missing {missing[:5]}{'…' if len(missing) > 5 else ''}, "
                         f"unexpected {unexpected[:5]}{'…' if len(unexpected) > 5 else ''}")


def g3_modules(state, vit, concat_retrieval):
    image, location = G3Image(vit, concat_retrieval), G3Location()
    image_state = {k: v for k, v in state.items()
                   if k.split(".")[0] in ("vision_model", "vision_projection", "vision_projection_else_1", "vision_projection_else_2")}
    location_state = {k: v for k, v in state.items() if k.split(".")[0] in ("location_encoder", "location_projection_else")}
    _load_strict(image, image_state, "G3 image model")
    _load_strict(location, location_state, "G3 location model")
    if "logit_scale2" not in state:
        raise SystemExit("G3 checkpoint: no logit_scale2 (the image<->GPS temperature the verifier uses)")
    return image.eval(), location.eval(), float(torch.as_tensor(state["logit_scale2"]).exp())


def geoclip_modules(weights_dir, clip_vision, vit):
    weights_dir = Path(weights_dir)
    image, location = GeoClipImage(vit), LocationEncoder()
    clip = _load(clip_vision)
    vision = _take(clip, "vision_model") or {k: v for k, v in clip.items() if not k.startswith("visual_projection")}
    projection = clip.get("visual_projection.weight")
    if projection is None:
        raise SystemExit(f"{clip_vision}: no visual_projection.weight (save CLIPModel's vision_model and visual_projection)")
    image_state = {**{"vision_model." + k: v for k, v in vision.items()}, "visual_projection.weight": projection,
                   **{"mlp." + k: v for k, v in _load(weights_dir / "image_encoder_mlp_weights.pth").items()}}
    _load_strict(image, image_state, "GeoCLIP image model")
    _load_strict(location, _load(weights_dir / "location_encoder_weights.pth"), "GeoCLIP location encoder")
    scale_file = weights_dir / "logit_scale_weights.pth"
    scale = _load(scale_file) if scale_file.exists() else {}
    logit_scale = float(torch.as_tensor(next(iter(scale.values()))).exp()) if scale else 1 / 0.07
    return image.eval(), location.eval(), logit_scale


def text_module(state, config, gps_head, what):
    """CLIP's text tower from a state dict holding text_model.* and text_projection.weight, with gps_head on top."""
    text = ClipText(config, gps_head)
    wanted = {k: v for k, v in state.items() if k.split(".")[0] in ("text_model", "text_projection")}
    if not wanted:
        raise SystemExit(f"{what}: no text_model.* / text_projection.weight (save CLIPModel's text_model and text_projection)")
    missing, unexpected = text.load_state_dict({**wanted, **{"gps_head." + k: v for k, v in gps_head.state_dict().items()}}, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    unexpected = [k for k in unexpected if not k.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"{what}: the text tower does not match CLIP's architecture; missing {missing[:5]}, unexpected {unexpected[:5]}")
    return text.eval()


def write_text_model(out, text, config, tokenizer_dir, manifest):
    """text.onnx (input_ids [N,context] int64 -> text_embedding, gps_embedding), CLIP's tokenizer files, the manifest's "text"."""
    import shutil
    out, tokenizer_dir = Path(out), Path(tokenizer_dir)
    for name in ("vocab.json", "merges.txt"):
        if not (tokenizer_dir / name).is_file():
            raise SystemExit(f"{tokenizer_dir}: no {name} (CLIP's tokenizer files)")
        shutil.copyfile(tokenizer_dir / name, out / name)
    ids = torch.zeros(2, config.context, dtype=torch.long)
    ids[:, 0], ids[:, 1] = config.vocab - 2, config.vocab - 1   # start, end: CLIP's last two ids
    with torch.no_grad():
        r, g = text(ids)
    torch.onnx.export(text, (ids,), str(out / "text.onnx"), input_names=["input_ids"], output_names=["text_embedding", "gps_embedding"],
                      dynamic_axes={"input_ids": {0: "batch"}, "text_embedding": {0: "batch"}, "gps_embedding": {0: "batch"}},
                      opset_version=17)
    manifest["text"] = {"file": "text.onnx", "input": "input_ids", "contextLength": config.context,
                        "tokenizer": {"kind": "clip-bpe", "vocab": "vocab.json", "merges": "merges.txt"},
                        "retrieval": {"output": "text_embedding", "dim": int(r.shape[1]), "normalize": True},
                        "gps": {"output": "gps_embedding", "dim": int(g.shape[1]), "normalize": True}}
    g3_models.write_json(out / "manifest.json", manifest)
    return manifest


def write_model(out, model_id, image, location, projection, logit_scale, card_text):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        r, g = image(torch.zeros(1, 3, 224, 224))
        d = location(torch.zeros(1, 2)).shape[1]
    g3_models.export_image(image, str(out / "image.onnx"))
    g3_models.export_location(location, str(out / "location.onnx"))
    manifest = {
        "formatVersion": 1, "id": model_id, "modelCard": "MODEL_CARD.md",
        "verification": {"metric": "cosine", "logitScale": round(logit_scale, 4)},
        "image": {"file": "image.onnx", "input": "pixels", "inputShape": [-1, 3, 224, 224],
                  "retrieval": {"output": "image_embedding", "dim": int(r.shape[1]), "normalize": True},
                  "gps": {"output": "gps_embedding", "dim": int(g.shape[1]), "normalize": True}},
        "preprocessing": {"inputSize": 224, "resize": "shortest-side-bicubic", "crop": "center",
                          "mean": g3_models.CLIP_MEAN, "std": g3_models.CLIP_STD},
        "location": {"file": "location.onnx", "input": "coords", "output": "embedding", "dim": int(d),
                     "projection": projection, "normalize": True},
    }
    g3_models.write_json(out / "manifest.json", manifest)
    (out / "MODEL_CARD.md").write_text(card_text)
    return manifest


def self_test():
    """Random modules of both architectures -> ONNX -> ONNX Runtime; compare with torch."""
    import warnings
    from ort_runner import Runtime
    warnings.filterwarnings("ignore", category=UserWarning)  # torch.onnx's notes on traced shapes
    torch.manual_seed(0)
    vit = VitConfig.tiny()
    rng = np.random.default_rng(0)
    pixels = rng.standard_normal((3, 3, 224, 224)).astype(np.float32)
    points = [(48.8566, 2.3522), (-33.8688, 151.2093), (35.6762, 139.6503), (0.0, 0.0), (89.9, -179.9), (-60.5, 20.25)]
    runtime = Runtime()
    failures = []
    cases = {
        "g3": (G3Image(vit).eval(), G3Location().eval(), "mercator"),
        "g3-concat": (G3Image(vit, concat_retrieval=True).eval(), G3Location().eval(), "mercator"),
        "geoclip": (GeoClipImage(vit).eval(), LocationEncoder().eval(), "equal-earth"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, (image, location, projection) in cases.items():
            out = Path(tmp) / name
            manifest = write_model(out, f"selftest-{name}", image, location, projection, math.exp(3.99), "# self-test\n")
            coords = g3_models.project(points, projection)
            with torch.no_grad():
                want = [t.numpy() for t in image(torch.from_numpy(pixels))] + [location(torch.from_numpy(coords)).numpy()]
            session = runtime.session(out / "image.onnx")
            got = session.run({"pixels": pixels}, ["image_embedding", "gps_embedding"])
            session.close()
            session = runtime.session(out / "location.onnx")
            got += session.run({"coords": coords}, ["embedding"])
            session.close()
            for label, w, g in zip(("image_embedding", "gps_embedding", "location embedding"), want, got):
                err = float(np.abs(w - g).max()) if w.shape == g.shape else math.inf
                ok = err <= TOLERANCE
                print(f"  {name:10s} {label:18s} shape {list(g.shape)} max |onnx - torch| = {err:.2e} {'ok' if ok else 'FAIL'}")
                if not ok:
                    failures.append(f"{name} {label}")
            dims = (manifest["image"]["retrieval"]["dim"], manifest["image"]["gps"]["dim"], manifest["location"]["dim"])
            print(f"  {name:10s} manifest dims retrieval/gps/location = {dims}, projection {projection}")
            if dims[1] != dims[2]:
                failures.append(f"{name}: gps dim {dims[1]} != location dim {dims[2]}")
        failures += _loading_round_trip(Path(tmp), vit, cases)
        failures += _text_self_test(Path(tmp), runtime, cases)
    if failures:
        print("self-test FAILED: " + ", ".join(failures))
        return 1
    print(f"self-test passed: ONNX Runtime matches torch within {TOLERANCE:g} for G3 and GeoCLIP exports")
    return 0


def _text_self_test(tmp, runtime, cases):
    """CLIP's text tower (narrow, random) on both heads: exported, run by ONNX Runtime on ids from a small
    BPE vocabulary in CLIP's format, compared with torch; the state-dict layout round trip as for images."""
    sys.path.insert(0, str(HERE.parent / "text"))
    import clip_bpe
    texts = ["A street photo in Lalín, Galicia, Spain.", "red doors and awnings, grey pavement", "where could this be: a desert town?"]
    vocab, merges = clip_bpe.learn(texts * 3, 60)
    tok_dir = tmp / "tokenizer"
    clip_bpe.write(tok_dir, vocab, merges)
    bpe = clip_bpe.ClipBpe.load(tok_dir)
    config = TextConfig.tiny(vocab=len(vocab))
    ids = np.array([bpe.tokenize(t, config.context) for t in texts], dtype=np.int64)
    failures = []
    heads = {"g3": cases["g3"][0].vision_projection_else_2, "geoclip": cases["geoclip"][0].mlp}
    for name, head in heads.items():
        # The tiny text tower projects to the tiny ViT's projection width, so the image model's heads fit.
        config_n = TextConfig(vocab=len(vocab), hidden=64, layers=2, heads=4, intermediate=128, projection=768)
        text = ClipText(config_n, head).eval()
        out = tmp / f"{name}-text"
        out.mkdir()
        manifest = write_text_model(out, text, config_n, tok_dir, {"formatVersion": 1, "id": f"selftest-{name}-text"})
        with torch.no_grad():
            want = [t.numpy() for t in text(torch.from_numpy(ids))]
        session = runtime.session(out / "text.onnx")
        got = session.run({"input_ids": ids}, ["text_embedding", "gps_embedding"])
        session.close()
        for label, w, g in zip(("text_embedding", "gps_embedding"), want, got):
            err = float(np.abs(w - g).max()) if w.shape == g.shape else math.inf
            ok = err <= TOLERANCE
            print(f"  {name + '-text':10s} {label:18s} shape {list(g.shape)} max |onnx - torch| = {err:.2e} {'ok' if ok else 'FAIL'}")
            if not ok:
                failures.append(f"{name} text {label}")
        if manifest["text"]["gps"]["dim"] != (512 if name == "geoclip" else 768):
            failures.append(f"{name}: text gps dim {manifest['text']['gps']['dim']}")
        # Round trip: CLIP's key names (text_model.*, text_projection.weight) load into the same tower.
        state = {k: v for k, v in text.state_dict().items() if not k.startswith("gps_head.")}
        state["text_model.embeddings.position_ids"] = torch.arange(config_n.context)[None]
        torch.save(state, tmp / f"{name}-clip-text.pth")
        again = text_module(_load(tmp / f"{name}-clip-text.pth"), config_n, head, f"{name} text")
        with torch.no_grad():
            same = all(torch.equal(a, b) for a, b in zip(text(torch.from_numpy(ids)), again(torch.from_numpy(ids))))
        if not same:
            failures.append(f"{name} text: reloaded outputs differ")
    print(f"  text tower (CLIP BPE ids, causal transformer, both heads): {'ok' if not failures else 'FAIL'}")
    return failures


def _loading_round_trip(tmp, vit, cases):
    """Saves the random modules under the real checkpoints' file layouts and key names, loads them back
    through the same code a real export uses, and checks the outputs are unchanged."""
    failures = []
    pixels = torch.randn(2, 3, 224, 224)
    coords = torch.from_numpy(g3_models.project([(51.5, -0.1), (-1.3, 36.8)], "mercator"))
    image, location, _ = cases["g3"]
    g3_state = {**image.state_dict(), **location.state_dict(), "logit_scale2": torch.tensor(3.99),
                "text_model.embeddings.token_embedding.weight": torch.zeros(4, 4),  # present in g3.pth, unused here
                "vision_model.embeddings.position_ids": torch.arange(257)[None]}
    torch.save(g3_state, tmp / "g3.pth")
    image2, location2, scale = g3_modules(_load(tmp / "g3.pth"), vit, concat_retrieval=False)
    failures += _same("g3 checkpoint", (image, location), (image2, location2), pixels, coords)
    if abs(scale - math.exp(3.99)) > 1e-3:
        failures.append(f"g3 logit scale {scale} != exp(3.99)")

    image, location, _ = cases["geoclip"]
    weights = tmp / "geoclip-weights"
    weights.mkdir()
    torch.save({k[len("mlp."):]: v for k, v in image.state_dict().items() if k.startswith("mlp.")}, weights / "image_encoder_mlp_weights.pth")
    torch.save(location.state_dict(), weights / "location_encoder_weights.pth")
    torch.save({"logit_scale": torch.tensor(math.log(1 / 0.07))}, weights / "logit_scale_weights.pth")
    torch.save({k: v for k, v in image.state_dict().items() if not k.startswith("mlp.")}, tmp / "clip-vision.pth")
    image2, location2, scale = geoclip_modules(weights, tmp / "clip-vision.pth", vit)
    failures += _same("geoclip checkpoint", (image, location), (image2, location2), pixels, coords)
    print(f"  checkpoint loading round trip (G3 g3.pth layout, GeoCLIP weights folder): {'ok' if not failures else 'FAIL'}")
    return failures


def _same(label, want, got, pixels, coords):
    with torch.no_grad():
        a = [*want[0](pixels), want[1](coords)]
        b = [*got[0](pixels), got[1](coords)]
    return [] if all(torch.equal(x, y) for x, y in zip(a, b)) else [f"{label}: reloaded outputs differ"]


def main():
    p = argparse.ArgumentParser(description="Export G3 / GeoCLIP checkpoints to the service's ONNX contract.")
    p.add_argument("--self-test", action="store_true", help="export random modules and check ONNX against torch")
    sub = p.add_subparsers(dest="kind")
    g3 = sub.add_parser("g3", help="a G3 checkpoint (g3.pth)")
    g3.add_argument("--checkpoint", required=True)
    g3.add_argument("--retrieval", choices=("image", "concat"), default="image",
                    help="retrieval output: e_img (768), or G3's index vector [e_img|e_text^image|e_gps^image] (2304)")
    gc = sub.add_parser("geoclip", help="GeoCLIP's weights folder + CLIP ViT-L/14 vision weights")
    gc.add_argument("--weights", required=True, help="folder with image_encoder_mlp_weights.pth, location_encoder_weights.pth, logit_scale_weights.pth")
    gc.add_argument("--clip-vision", required=True, help="state dict with vision_model.* and visual_projection.weight")
    rnd = sub.add_parser("random", help="G3's architecture with random weights (seeded), for measurements")
    rnd.add_argument("--vit", choices=("l14", "tiny"), default="l14", help="l14: CLIP ViT-L/14's size; tiny: seconds to export")
    rnd.add_argument("--seed", type=int, default=0, help="torch seed; bench/gpu/torch_throughput.py rebuilds the same model from it")
    gc.add_argument("--clip-text", default=None, help="state dict with CLIP's text_model.* and text_projection.weight (with --text-tokenizer)")
    for sp in (g3, gc, rnd):
        sp.add_argument("--text-tokenizer", default=None, help="folder with CLIP's vocab.json + merges.txt: also export the text tower")
        sp.add_argument("--out", required=True)
        sp.add_argument("--id", default=None)
        sp.add_argument("--float16", action="store_true", help="also write image.fp16.onnx + manifest.fp16.json (tools/export/export_float16.py)")
    args = p.parse_args()
    if args.self_test:
        return self_test()
    if args.kind is None:
        p.error("give g3 or geoclip (or --self-test)")
    vit = VitConfig.clip_vit_l14()
    if args.kind == "random":
        vit = VitConfig.clip_vit_l14() if args.vit == "l14" else VitConfig.tiny()
        torch.manual_seed(args.seed)
        image, location, scale = G3Image(vit).eval(), G3Location().eval(), math.exp(3.99)
        projection, model_id = "mercator", args.id or f"g3-random-{args.vit}"
        source = f"random weights (torch seed {args.seed}, ViT {args.vit}); not a trained model, for measurements only"
    elif args.kind == "g3":
        image, location, scale = g3_modules(_load(args.checkpoint), vit, args.retrieval == "concat")
        projection, model_id, source = "mercator", args.id or "g3", f"G3 checkpoint {Path(args.checkpoint).name}"
    else:
        image, location, scale = geoclip_modules(args.weights, args.clip_vision, vit)
        projection, model_id, source = "equal-earth", args.id or "geoclip", "GeoCLIP weights + CLIP ViT-L/14"
    card = (f"# {model_id}\n\nExported from {source} by tools/export/export_checkpoint.py.\n"
            f"Image: CLIP ViT-L/14 + projection heads; location: 3 x RFF + MLP, {projection} projection applied outside the graph.\n"
            f"Verification logit scale: {scale:.4f}.\n")
    manifest = write_model(args.out, model_id, image, location, projection, scale, card)
    if args.text_tokenizer:
        text_config = TextConfig.clip_vit_l14()
        if args.kind == "g3":
            text = text_module(_load(args.checkpoint), text_config, image.vision_projection_else_2, "G3 checkpoint")
        elif args.kind == "geoclip":
            if not args.clip_text:
                raise SystemExit("--text-tokenizer with geoclip needs --clip-text (CLIP's text tower state dict)")
            text = text_module(_load(args.clip_text), text_config, image.mlp, "CLIP text weights")
        else:
            text = ClipText(text_config, image.vision_projection_else_2).eval()
        manifest = write_text_model(args.out, text, text_config, args.text_tokenizer, manifest)
    if args.float16:
        from export_float16 import add_float16
        add_float16(args.out)
    print(f"wrote {args.out}: retrieval {manifest['image']['retrieval']['dim']}, gps {manifest['image']['gps']['dim']}, "
          f"location {manifest['location']['dim']} ({projection}), logit scale {scale:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
