"""The synthetic world as training data: metadata, cached 224x224 crops, hashed place-text tokens.

Run with Debian's interpreter, /usr/bin/python3 (python3-torch, python3-torchvision, python3-pil).

Each photo is preprocessed once exactly as the service does at inference (torchvision
Resize(224, BICUBIC, antialias=True) on the PIL image, then CenterCrop(224)) and the uint8 crop is
kept in a numpy file beside the world (data/mp16pro/generated/..., git-ignored). Training reads the
uint8 crops and applies ToTensor + CLIP Normalize on the fly, so what the network sees is the same
224x224 float input the ONNX contract specifies, without decoding and resizing JPEGs every epoch.
"""
import csv
import os
import zlib
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode

INPUT_SIZE = 224
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)

# MP16-Pro's place columns, coarse to fine does not matter for a bag of tokens.
PLACE_FIELDS = ("neighbourhood", "city", "county", "state", "region", "country", "continent")
TEXT_BUCKETS = 1 << 15

_CROP = transforms.Compose([
    transforms.Resize(INPUT_SIZE, interpolation=InterpolationMode.BICUBIC, antialias=True),
    transforms.CenterCrop(INPUT_SIZE),
])


class Split:
    """One split of the world: image paths, coordinates and (database only) place text."""

    def __init__(self, root, metadata, images):
        self.root = Path(root)
        self.images_dir = self.root / images
        with open(self.root / metadata, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if not rows:
            raise SystemExit(f"{self.root / metadata} holds no photos")
        self.ids = [r["IMG_ID"] for r in rows]
        self.coords = np.array([(float(r["LAT"]), float(r["LON"])) for r in rows], dtype=np.float64)
        self.places = [tuple(r.get(k, "") or "" for k in PLACE_FIELDS) for r in rows]

    def __len__(self):
        return len(self.ids)

    def truncate(self, n):
        """Keep the first n photos (smoke tests); the crop cache must then already exist for the full split."""
        self.ids, self.coords, self.places = self.ids[:n], self.coords[:n], self.places[:n]

    def paths(self):
        return [str(self.images_dir / i) for i in self.ids]


def load_world(world):
    """(database, queries) of a world written by `g3 synth`."""
    world = Path(world)
    if not (world / "world.json").exists():
        raise SystemExit(f"{world} is not a synthetic world (no world.json); generate one with "
                         "`dotnet src/G3.Cli/bin/Release/net10.0/g3.dll synth --seed 1 --out {world}`")
    return Split(world, "mp16pro/metadata.csv", "mp16pro/images"), Split(world, "im2gps3k/metadata.csv", "im2gps3k/images")


def _crop(path):
    with Image.open(path) as im:
        return np.asarray(_CROP(im.convert("RGB")), dtype=np.uint8).transpose(2, 0, 1).copy()


def _crop_pooled(path):
    """The 224 crop averaged over 2x2 pixels (what g3-mini v2's graph does first), rounded to uint8."""
    c = _crop(path).astype(np.float32)
    return np.rint((c[:, 0::2, 0::2] + c[:, 1::2, 0::2] + c[:, 0::2, 1::2] + c[:, 1::2, 1::2]) / 4).astype(np.uint8)


def cached_crops(split, cache_file, workers=2, pooled=False):
    """[N,3,224,224] uint8 crops of the split (or [N,3,112,112] 2x2-pooled ones), computed once and memory-mapped afterwards."""
    cache_file = Path(cache_file)
    side = INPUT_SIZE // 2 if pooled else INPUT_SIZE
    shape = (len(split), 3, side, side)
    if cache_file.exists():
        arr = np.load(cache_file, mmap_mode="r")
        # A truncated split (--limit) reuses the full split's cache.
        if arr.shape[1:] == shape[1:] and arr.shape[0] >= shape[0]:
            return arr[:shape[0]]
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache_file.with_suffix(".partial.npy")
    out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.uint8, shape=shape)
    with Pool(workers) as pool:
        for i, crop in enumerate(pool.imap(_crop_pooled if pooled else _crop, split.paths(), chunksize=64)):
            out[i] = crop
    out.flush()
    del out
    os.replace(tmp, cache_file)
    return np.load(cache_file, mmap_mode="r")


_SCALE = torch.tensor([1 / (255.0 * s) for s in CLIP_STD]).view(1, 3, 1, 1)
_SHIFT = torch.tensor([-m / s for m, s in zip(CLIP_MEAN, CLIP_STD)]).view(1, 3, 1, 1)


def normalize(batch_u8):
    """uint8 [B,3,H,W] -> float32 CLIP-normalised: ToTensor's /255 then (x - mean) / std, fused."""
    return torch.from_numpy(np.array(batch_u8)).float().mul_(_SCALE).add_(_SHIFT)


def place_tokens(places):
    """Each photo's place text as hashed tokens ("country=Spain" etc.), padded: (ids [N,T], mask [N,T], text_id [N]).

    A stable hash (CRC-32) keeps runs reproducible; text_id identifies photos with identical
    descriptions so that the contrastive loss treats them as positives of each other.
    """
    width = len(PLACE_FIELDS)
    ids = np.zeros((len(places), width), dtype=np.int64)
    mask = np.zeros((len(places), width), dtype=np.float32)
    text_ids = {}
    text_id = np.zeros(len(places), dtype=np.int64)
    for n, place in enumerate(places):
        k = 0
        for field, value in zip(PLACE_FIELDS, place):
            if value:
                ids[n, k] = zlib.crc32(f"{field}={value}".encode("utf-8")) % TEXT_BUCKETS
                mask[n, k] = 1.0
                k += 1
        text_id[n] = text_ids.setdefault(place, len(text_ids))
    return ids, mask, text_id
