"""The K=0 accuracy table computed in torch (run with /usr/bin/python3): a quick check during training.

The model card's table is measured through the service's real C# path (tools/train/MeasureAccuracy);
this module does the same computation on the torch modules so that a training run (and the
--no-text ablation) can report it without building the host:
  (a) top-1: the location of the nearest database photo by e_img (inner product of normalised rows);
  (b) verified: among the top-S database photos' locations, the one whose location embedding scores
      highest against e_gps^image (ties keep retrieval order);
  (c) random: a random database photo's location (seeded);
  (d) diagnostic, not in G3: e_gps^image against every database location (GeoCLIP-style gallery).
"""
import numpy as np
import torch

from g3_mini_model import l2n, mercator
from losses import haversine_km
from world_data import normalize

THRESHOLDS_KM = (1, 25, 200, 750, 2500)


@torch.no_grad()
def encode_images(image_model, crops, batch=256):
    """image_model: a module or its forward_small (then already in eval mode); crops: uint8 at the size it takes."""
    if hasattr(image_model, "eval"):
        image_model.eval()
    r, g = [], []
    for i in range(0, len(crops), batch):
        a, b = image_model(normalize(crops[i:i + batch]))
        r.append(l2n(a))
        g.append(l2n(b))
    return torch.cat(r), torch.cat(g)


@torch.no_grad()
def encode_locations(location_model, coords_deg, batch=4096):
    location_model.eval()
    return torch.cat([l2n(location_model(mercator(coords_deg[i:i + batch]))) for i in range(0, len(coords_deg), batch)])


def accuracy(pred_deg, true_deg):
    d = haversine_km(torch.as_tensor(pred_deg, dtype=torch.float64), torch.as_tensor(true_deg, dtype=torch.float64)).diagonal()
    return [100.0 * (d <= t).double().mean().item() for t in THRESHOLDS_KM]


@torch.no_grad()
def accuracy_table(image_model, location_model, db_crops, db_coords, q_crops, q_coords, s=10, seed=0):
    db_r, _ = encode_images(image_model, db_crops)
    q_r, q_g = encode_images(image_model, q_crops)
    db_loc = encode_locations(location_model, db_coords)
    db_coords_t = torch.as_tensor(db_coords)

    top = (q_r @ db_r.T).topk(s, dim=1).indices                     # [Q,S], best first
    top1 = db_coords_t[top[:, 0]]
    cand_scores = torch.einsum("qd,qsd->qs", q_g, db_loc[top])      # verifier scores per candidate
    best = cand_scores.argmax(dim=1)                                # first maximum = retrieval order on ties
    verified = db_coords_t[top.gather(1, best[:, None]).squeeze(1)]
    rng = np.random.default_rng(seed)
    random = db_coords_t[torch.as_tensor(rng.integers(0, len(db_coords), len(q_coords)))]
    gallery = db_coords_t[(q_g @ db_loc.T).argmax(dim=1)]
    return {
        "top1": accuracy(top1, q_coords),
        f"verified_s{s}": accuracy(verified, q_coords),
        "random": accuracy(random, q_coords),
        "gps_gallery": accuracy(gallery, q_coords),
    }


def format_table(table):
    head = "| method | " + " | ".join(f"{t} km" for t in THRESHOLDS_KM) + " |"
    rows = [head, "|---|" + "---:|" * len(THRESHOLDS_KM)]
    rows += [f"| {k} | " + " | ".join(f"{v:.1f}" for v in vals) + " |" for k, vals in table.items()]
    return "\n".join(rows)
