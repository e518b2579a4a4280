"""Nearby photos for g3-mini v2's batches (run with /usr/bin/python3).

G3's GPS head must tell apart the S retrieved candidates, which are mostly a few to a few hundred
km apart; in-batch negatives drawn from the whole world are almost never that close. So every
database photo gets, once before training, a few other photos in each distance band (0-1, 1-25,
25-200, 200-1000 km): the first band gives it a positive partner for the image<->image loss (the
same landmark or street), the others give its image<->GPS loss hard nearby negatives.
"""
import numpy as np
import torch

from losses import EARTH_RADIUS_KM

BANDS_KM = ((0.0, 1.0), (1.0, 25.0), (25.0, 200.0), (200.0, 1000.0))


def _unit_vectors(coords_deg):
    lat, lon = np.deg2rad(coords_deg[:, 0]), np.deg2rad(coords_deg[:, 1])
    return torch.from_numpy(np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1))


@torch.no_grad()
def band_neighbours(coords_deg, per_band=8, seed=1, chunk=1024):
    """[N, len(BANDS_KM), per_band] int64 indices of other photos in each band, -1 where a band is empty.

    Bands are tested on the dot product of unit vectors against cos(d / R) (float64 resolves
    metres), so no trigonometry runs per pair: a matrix product per chunk.
    """
    u = _unit_vectors(np.asarray(coords_deg, dtype=np.float64))
    n = len(u)
    out = np.full((n, len(BANDS_KM), per_band), -1, dtype=np.int64)
    g = torch.Generator().manual_seed(seed)
    cos_of = {km: np.cos(km / EARTH_RADIUS_KM) for band in BANDS_KM for km in band}
    for s in range(0, n, chunk):
        dot = u[s:s + chunk] @ u.T
        rows = torch.arange(dot.shape[0])
        dot[rows, s + rows] = 2.0  # never oneself (no band reaches a dot of 2)
        for k, (lo, hi) in enumerate(BANDS_KM):
            w = ((dot <= cos_of[lo]) & (dot > cos_of[hi])).float()
            has = w.sum(1) > 0
            w[~has] = 1.0
            idx = torch.multinomial(w, per_band, replacement=True, generator=g)
            idx[~has] = -1
            out[s:s + chunk, k] = idx.numpy()
    return out


def partners(neigh, anchors, rng):
    """One nearby photo per anchor: from the closest non-empty band among the first three, else -1."""
    picks = np.full(len(anchors), -1, dtype=np.int64)
    col = rng.integers(0, neigh.shape[2], len(anchors))
    for band in (2, 1, 0):  # later assignments (closer bands) win
        cand = neigh[anchors, band, col]
        picks = np.where(cand >= 0, cand, picks)
    return picks


def hard_negatives(neigh, anchors, rng):
    """Per anchor one photo from each of the bands 1-25, 25-200 and 200-1000 km (flattened, -1 dropped)."""
    col = rng.integers(0, neigh.shape[2], (len(anchors), 3))
    cand = np.stack([neigh[anchors, b, col[:, b - 1]] for b in (1, 2, 3)], axis=1).reshape(-1)
    return cand[cand >= 0]
