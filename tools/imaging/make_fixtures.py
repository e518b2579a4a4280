#!/usr/bin/python3
"""Writes the image fixtures and CLIP preprocessing references for tests/G3.Alignment.Tests/Imaging.

Run with Debian's interpreter (PIL, numpy, torch, torchvision from scripts/bootstrap.sh --tools):

    /usr/bin/python3 tools/imaging/make_fixtures.py

Everything is generated procedurally from a fixed seed (no downloads) into tests/fixtures/images/:
  * photos in every supported encoding: JPEG (colour, grey, CMYK, progressive, EXIF orientations
    3/6/8, one 1600x1200 for reduced-scale decoding), PNG (RGB, 16-bit RGB, 16-bit grey, palette with
    tRNS, RGBA, grey+alpha, 1x1), WebP (lossy, lossless with alpha);
  * failure cases: empty, text, GIF, BMP, truncated JPEG/PNG/WebP, a PNG whose IHDR claims
    100000x100000, a PNG with a bad IHDR CRC;
  * reference tensors: torchvision Resize(S, BICUBIC, antialias=True) -> CenterCrop(S) -> ToTensor
    -> Normalize(CLIP mean/std) on the PIL-decoded, EXIF-transposed image, as little-endian float32
    [3, S, S] .bin files; index.json lists them with decode expectations (size, channel means,
    sample pixels).

Alpha is composited onto white with out = (c*a + 255*(255-a) + 127) // 255, the decoder's
documented rule (PIL's convert("RGB") would just drop alpha). 16-bit grey uses the high byte
(PIL's own I;16 -> RGB conversion clips to 255, a Pillow quirk; libspng and 16-bit RGB in PIL keep
the high byte). References are at S = 64 to keep the fixtures small, except the large JPEG at 224.
"""
import io
import json
import struct
import zlib
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps
from torchvision import transforms
from torchvision.transforms import InterpolationMode

OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "images"
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)


# ---------------------------------------------------------------- procedural "photos"
def photo(w, h, seed, noise=6.0):
    """Sky gradient, ground, a sun, some boxes and texture: edges, smooth areas and noise."""
    r = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    horizon = h * (0.55 + 0.1 * np.sin(x / w * 6.0 + seed))
    sky = y < horizon
    t = y / h
    img[..., 0] = np.where(sky, 90 + 80 * t, 70 + 40 * np.sin(x / 37.0) * np.cos(y / 23.0) + 40)
    img[..., 1] = np.where(sky, 140 + 70 * t, 110 + 30 * np.sin(x / 19.0 + 1))
    img[..., 2] = np.where(sky, 230 - 40 * t, 60 + 20 * np.cos(y / 11.0))
    cx, cy, rad = w * 0.75, h * 0.22, min(w, h) * 0.09
    sun = (x - cx) ** 2 + (y - cy) ** 2 < rad ** 2
    img[sun] = (255, 230, 120)
    for _ in range(6):  # buildings
        bw, bh = r.integers(w // 20, w // 7), r.integers(h // 8, h // 3)
        bx = r.integers(0, w - bw)
        by0 = int(h * 0.6) - bh
        col = r.integers(30, 220, 3)
        img[by0:by0 + bh, bx:bx + bw] = col
        for wy in range(by0 + 4, by0 + bh - 4, max(6, h // 40)):  # windows: fine detail
            img[wy:wy + 2, bx + 2:bx + bw - 2:4] = (250, 250, 200)
    img += r.normal(0, noise, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def save(name, data):
    (OUT / name).write_bytes(data)


def encode(im, fmt, **kw):
    b = io.BytesIO()
    im.save(b, fmt, **kw)
    return b.getvalue()


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_raw(width, height, bit_depth, color_type, rows):
    """A minimal PNG writer (PIL cannot write 16-bit RGB): filter 0 on every row."""
    raw = b"".join(b"\x00" + row for row in rows)
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")


def exif_bytes(orientation):
    e = Image.Exif()
    e[0x0112] = orientation
    return e.tobytes()


# ---------------------------------------------------------------- reference pipeline
def to_rgb_white(im):
    """PIL image -> RGB uint8 array, alpha composited onto white (the decoder's rule)."""
    if im.mode == "I;16" or im.mode == "I":
        a = (np.asarray(im).astype(np.uint32) >> 8).astype(np.uint8)
        return np.stack([a, a, a], -1)
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if has_alpha:
        rgba = np.asarray(im.convert("RGBA")).astype(np.int32)
        a = rgba[..., 3:4]
        return ((rgba[..., :3] * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)
    return np.asarray(im.convert("RGB"))


def reference(path, size):
    im = Image.open(path)
    im.load()
    im = ImageOps.exif_transpose(im)
    rgb = to_rgb_white(im)
    t = transforms.Compose([
        transforms.Resize(size, interpolation=InterpolationMode.BICUBIC, antialias=True),
        transforms.CenterCrop(size),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])(Image.fromarray(rgb, "RGB"))
    return rgb, t.numpy().astype("<f4")


def samples(rgb):
    h, w, _ = rgb.shape
    pts = [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1), (w // 2, h // 2), (w // 3, (2 * h) // 3)]
    return [[x, y, *map(int, rgb[y, x])] for x, y in pts]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.iterdir():
        f.unlink()

    land = photo(320, 240, 1)
    port = photo(200, 300, 2)
    big = photo(1600, 1200, 3, noise=3.0)
    small = photo(160, 120, 4)

    decodable = {}  # name -> reference input size

    save("landscape.jpg", encode(Image.fromarray(land), "JPEG", quality=90)); decodable["landscape.jpg"] = 64
    save("large_1600x1200.jpg", encode(Image.fromarray(big), "JPEG", quality=85)); decodable["large_1600x1200.jpg"] = 224
    save("progressive.jpg", encode(Image.fromarray(port), "JPEG", quality=85, progressive=True)); decodable["progressive.jpg"] = 64
    save("gray.jpg", encode(Image.fromarray(land).convert("L"), "JPEG", quality=90)); decodable["gray.jpg"] = 64
    save("cmyk.jpg", encode(Image.fromarray(small).convert("CMYK"), "JPEG", quality=92)); decodable["cmyk.jpg"] = 64
    for o in (3, 6, 8):
        save(f"exif_orientation_{o}.jpg", encode(Image.fromarray(small), "JPEG", quality=90, exif=exif_bytes(o)))
        decodable[f"exif_orientation_{o}.jpg"] = 64

    save("portrait.png", encode(Image.fromarray(photo(120, 180, 5, noise=1.5)), "PNG")); decodable["portrait.png"] = 64
    save("one_pixel.png", encode(Image.new("RGB", (1, 1), (200, 40, 90)), "PNG")); decodable["one_pixel.png"] = 64
    half = small[::2, ::2]  # 80x60
    low = (np.add.outer(np.arange(60) * 3, np.arange(80) * 7) & 255).astype(np.uint16)[..., None]
    p16 = (half.astype(np.uint16) * 256 + low).astype(">u2")  # high byte = the photo, low byte varies
    save("rgb16.png", png_raw(80, 60, 16, 2, [p16[y].tobytes() for y in range(60)])); decodable["rgb16.png"] = 64
    g16 = (small[..., 1].astype(np.uint16) * 257).astype(np.uint16)
    save("gray16.png", encode(Image.fromarray(g16, "I;16"), "PNG")); decodable["gray16.png"] = 64
    pal = Image.fromarray(small).quantize(colors=32)
    save("palette_trns.png", encode(pal, "PNG", transparency=0)); decodable["palette_trns.png"] = 64
    alpha = np.clip(np.mgrid[0:120, 0:160][1] * 1.7, 0, 255).astype(np.uint8)
    rgba = np.dstack([small, alpha])
    save("rgba.png", encode(Image.fromarray(rgba, "RGBA"), "PNG")); decodable["rgba.png"] = 64
    save("gray_alpha.png", encode(Image.fromarray(np.dstack([small[..., 0], alpha]), "LA"), "PNG")); decodable["gray_alpha.png"] = 64
    save("lossy.webp", encode(Image.fromarray(land), "WEBP", quality=80)); decodable["lossy.webp"] = 64
    save("lossless_alpha.webp", encode(Image.fromarray(rgba, "RGBA"), "WEBP", lossless=True)); decodable["lossless_alpha.webp"] = 64

    # ---- failure cases
    save("empty.bin", b"")
    save("text.txt", b"This is not an image, it is a note about a photo taken in Lisbon.\n")
    save("tiny.gif", encode(Image.fromarray(small[:16, :16]), "GIF"))
    save("tiny.bmp", encode(Image.fromarray(small[:16, :16]), "BMP"))
    jpg = (OUT / "landscape.jpg").read_bytes()
    save("truncated.jpg", jpg[: len(jpg) * 6 // 10])
    png = (OUT / "portrait.png").read_bytes()
    save("truncated.png", png[: len(png) // 2])
    webp = (OUT / "lossy.webp").read_bytes()
    save("truncated.webp", webp[: len(webp) // 2])
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    save("huge_header.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
         + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b""))
    bad = bytearray(png)
    bad[29] ^= 0xFF  # last byte of the IHDR CRC (8 signature + 4 length + 4 type + 13 data = 29)
    save("bad_crc.png", bytes(bad))

    # ---- references
    index = []
    for name, size in decodable.items():
        rgb, tensor = reference(OUT / name, size)
        ref = name.rsplit(".", 1)[0] + f".ref{size}.bin"
        tensor.tofile(OUT / ref)
        index.append({
            "image": name,
            "reference": ref,
            "inputSize": size,
            "width": int(rgb.shape[1]),
            "height": int(rgb.shape[0]),
            "channelMeans": [float(rgb[..., c].mean()) for c in range(3)],
            "samples": samples(rgb),
        })
    (OUT / "index.json").write_text(json.dumps({
        "mean": MEAN, "std": STD,
        "generator": "tools/imaging/make_fixtures.py",
        "references": index,
    }, indent=1) + "\n")
    total = sum(f.stat().st_size for f in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total / 1024:.0f} KiB, into {OUT.relative_to(OUT.parents[2])}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
