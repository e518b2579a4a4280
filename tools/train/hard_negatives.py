"""Nearby photos for g3-mini v2's batches (run with /usr/bin/python3).

G3's GPS head must tell apart the S retrieved candidates, which are mostly a few to a few hundred
km apart; in-batch negatives drawn from the whole world are almost never that close. So every
database photo gets, once before training, a few other photos in each distance band (0-1, 1-25,
25-200, 200-1000 km): the first band gives it a positive partner for the image<->image loss (the
same landmark or street), the others give its image<->GPS loss hard nearby negatives.
"""
import numpy as np
import torch

from losses import haversine_km

BANDS_KM = ((0.0, 1.0), (1.0, 25.0), (25.0, 200.0), (200.0, 1000.0))


@torch.no_grad()
def band_neighbours(coords_deg, per_band=8, seed=1, chunk=512):
    """[N, len(BANDS_KM), per_band] int64 indices of other photos in each band, -1 where a band is empty."""
    c = torch.as_tensor(coords_deg, dtype=torch.float64)
    n = len(c)
    out = np.full((n, len(BANDS_KM), per_band), -1, dtype=np.int64)
    g = torch.Generator().manual_seed(seed)
    for s in range(0, n, chunk):
        d = haversine_km(c[s:s + chunk], c)
        rows = torch.arange(d.shape[0])
        d[rows, s + rows] = float("inf")  # never oneself
        for k, (lo, hi) in enumerate(BANDS_KM):
            w = ((d >= lo) & (d < hi)).float()
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
