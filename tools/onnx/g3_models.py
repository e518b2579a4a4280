"""The G3/GeoCLIP model shapes shared by the fixture, benchmark and comparison scripts.

Run with Debian's interpreter: /usr/bin/python3 (python3-torch, python3-onnx, python3-numpy).

Location encoder (GeoCLIP, reused by G3): the projected coordinates v (two numbers per row, projected
OUTSIDE the network, exactly as G3.Core's ProjectionMath.ToModelInput does) go through random Fourier
features at several scales sigma (B ~ N(0, sigma^2), shape [encoded, 2], gamma(v) = [cos(2 pi B v),
sin(2 pi B v)]), one MLP per scale, and the per-scale outputs are summed.
"""
import json
import math

import numpy as np
import torch
from torch import nn

MERCATOR_RADIUS = 6378137.0
MERCATOR_HALF_EXTENT = math.pi * MERCATOR_RADIUS
MERCATOR_MAX_LATITUDE = 85.05112877980659
EQUAL_EARTH_SCALE = 66.50336
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796

CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


def normalize_longitude(lon):
    if -180 <= lon <= 180:
        return lon
    return ((lon + 180) % 360 + 360) % 360 - 180


def mercator_input(lat, lon):
    """G3: EPSG:3857 metres as (northing, easting) / (pi R), latitude clamped to the EPSG:3857 range."""
    lat = min(max(lat, -MERCATOR_MAX_LATITUDE), MERCATOR_MAX_LATITUDE)
    lam = math.radians(normalize_longitude(lon))
    phi = math.radians(lat)
    x = MERCATOR_RADIUS * lam
    y = MERCATOR_RADIUS * math.log(math.tan(math.pi / 4 + phi / 2))
    return y / MERCATOR_HALF_EXTENT, x / MERCATOR_HALF_EXTENT


def equal_earth_input(lat, lon):
    """GeoCLIP: Equal Earth on the unit sphere, (easting, northing) * 66.50336 / 180."""
    lam = math.radians(normalize_longitude(lon))
    phi = math.radians(lat)
    theta = math.asin(math.sqrt(3) / 2 * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    denominator = 3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1)
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / denominator
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    s = EQUAL_EARTH_SCALE / 180.0
    return x * s, y * s


PROJECTIONS = {"mercator": mercator_input, "equal-earth": equal_earth_input, "none": lambda lat, lon: (lat, lon)}


def project(points, projection):
    """[(lat, lon)] -> float32 [B, 2]; projected in float64, rounded once to float32 like the C# encoder."""
    f = PROJECTIONS[projection]
    return np.array([f(lat, lon) for lat, lon in points], dtype=np.float64).astype(np.float32)


class GaussianFourierFeatures(nn.Module):
    def __init__(self, sigma, encoded, generator):
        super().__init__()
        self.register_buffer("b", torch.randn(encoded, 2, generator=generator) * sigma)

    def forward(self, v):
        vp = 2 * math.pi * v @ self.b.T
        return torch.cat([torch.cos(vp), torch.sin(vp)], dim=-1)


class ScaleBranch(nn.Module):
    """One sigma: Fourier features, then an MLP (hidden layers with ReLU, then a linear head)."""

    def __init__(self, sigma, encoded, hidden, out_dim, generator):
        super().__init__()
        self.rff = GaussianFourierFeatures(sigma, encoded, generator)
        layers, width = [], 2 * encoded
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        self.mlp = nn.Sequential(*layers)
        self.head = nn.Linear(width, out_dim)

    def forward(self, v):
        return self.head(self.mlp(self.rff(v)))


class LocationEncoder(nn.Module):
    def __init__(self, sigmas, encoded, hidden, out_dim, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)  # nn.Linear initialisation
        self.branches = nn.ModuleList(ScaleBranch(s, encoded, hidden, out_dim, g) for s in sigmas)

    def forward(self, v):
        out = self.branches[0](v)
        for branch in self.branches[1:]:
            out = out + branch(v)
        return out


SIGMAS = [2.0 ** 0, 2.0 ** 4, 2.0 ** 8]


def fixture_location_encoder(seed=20240611):
    """Reduced width: 2*64 -> 128 -> 128 -> 64 per scale."""
    return LocationEncoder(SIGMAS, encoded=64, hidden=[128, 128], out_dim=64, seed=seed).eval()


def geoclip_location_encoder(seed=7):
    """GeoCLIP's size: 2*256 -> 1024 -> 1024 -> 1024 -> 512 per scale (random weights, for timing only)."""
    return LocationEncoder(SIGMAS, encoded=256, hidden=[1024, 1024, 1024], out_dim=512, seed=seed).eval()


class TinyImageModel(nn.Module):
    """[N,3,224,224] -> conv stack -> global average pool -> two linear heads (retrieval, GPS-aligned)."""

    def __init__(self, retrieval_dim=48, gps_dim=64, seed=11):
        super().__init__()
        torch.manual_seed(seed)
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=8, stride=8), nn.ReLU(),
            nn.Conv2d(16, 32, kernel_size=4, stride=4), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.retrieval = nn.Linear(32, retrieval_dim)
        self.gps = nn.Linear(32, gps_dim)

    def forward(self, pixels):
        f = self.features(pixels)
        return self.retrieval(f), self.gps(f)


def deterministic_pixels(batch, size=224):
    """Inputs both languages can rebuild exactly: ((7n + 13c + 31h + 17w) mod 255) / 127.5 - 1, as float32."""
    n = np.arange(batch).reshape(-1, 1, 1, 1)
    c = np.arange(3).reshape(1, -1, 1, 1)
    h = np.arange(size).reshape(1, 1, -1, 1)
    w = np.arange(size).reshape(1, 1, 1, -1)
    return (((7 * n + 13 * c + 31 * h + 17 * w) % 255) / 127.5 - 1.0).astype(np.float32)


def export_location(model, path):
    dummy = torch.zeros(4, 2)
    torch.onnx.export(model, (dummy,), path, input_names=["coords"], output_names=["embedding"],
                      dynamic_axes={"coords": {0: "batch"}, "embedding": {0: "batch"}}, opset_version=17)


def export_image(model, path, size=224):
    dummy = torch.zeros(1, 3, size, size)
    torch.onnx.export(model, (dummy,), path, input_names=["pixels"],
                      output_names=["image_embedding", "gps_embedding"],
                      dynamic_axes={"pixels": {0: "batch"}, "image_embedding": {0: "batch"}, "gps_embedding": {0: "batch"}},
                      opset_version=17)


def l2_normalize(x):
    norms = np.linalg.norm(x.astype(np.float64), axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def write_json(path, obj):
    """Indented JSON, except that lists of numbers stay on one line (references hold thousands of them)."""
    def render(value, indent):
        pad = "  " * (indent + 1)
        if isinstance(value, dict):
            items = [f'{pad}{json.dumps(k)}: {render(v, indent + 1)}' for k, v in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
        if isinstance(value, list) and value and isinstance(value[0], (list, dict)):
            return "[\n" + ",\n".join(pad + render(v, indent + 1) for v in value) + "\n" + "  " * indent + "]"
        return json.dumps(value, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(obj, 0) + "\n")


def floats(rows):
    """float32 rows as JSON numbers with 7 significant digits (1e-8 absolute for unit vectors, far below the 1e-4 tolerance)."""
    return [[float(f"{v:.7g}") for v in row] for row in rows]
