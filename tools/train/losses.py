"""The contrastive losses of g3-mini's geo-alignment (run with /usr/bin/python3).

G3 (and CLIP) align two modalities with a symmetric InfoNCE over the batch:
L_{a,b} = CE(s * norm(e_a) norm(e_b)^T, I) + CE(transposed), s = exp(t_{a,b}) learnable.
Here targets may have several positives per row (photos with the same place text in one batch),
spread evenly, so a duplicate description is never pushed away from its own image.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F

EARTH_RADIUS_KM = 6371.0088


class LogitScale(nn.Module):
    """exp(t), t learnable, initialised to CLIP's 1/0.07 and capped at 100 as CLIP does."""

    def __init__(self, init=1 / 0.07, cap=100.0):
        super().__init__()
        self.t = nn.Parameter(torch.tensor(math.log(init)))
        self.cap = math.log(cap)

    def forward(self):
        return self.t.clamp(max=self.cap).exp()


def _soft_ce(logits, targets):
    return -(targets * F.log_softmax(logits, dim=1)).sum(1).mean()


def info_nce(a, b, scale, same=None):
    """Symmetric InfoNCE between normalised rows of a and b; `same` [B,B] bool marks extra positives."""
    logits = scale * a @ b.T
    if same is None:
        target = torch.arange(a.shape[0])
        return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))
    t = same.float()
    t = t / t.sum(1, keepdim=True)
    return 0.5 * (_soft_ce(logits, t) + _soft_ce(logits.T, t.T))


def haversine_km(p, q):
    """[B,2] x [C,2] degrees (lat, lon) -> [B,C] great-circle km."""
    p, q = torch.deg2rad(p), torch.deg2rad(q)
    dlat = q[None, :, 0] - p[:, None, 0]
    dlon = q[None, :, 1] - p[:, None, 1]
    h = torch.sin(dlat / 2) ** 2 + torch.cos(p[:, None, 0]) * torch.cos(q[None, :, 0]) * torch.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * torch.asin(h.clamp(0, 1).sqrt())


def geo_neighbour_loss(e, coords_deg, scale, tau_km):
    """Image<->image: each photo should retrieve the other photos of the batch in order of distance.

    Targets are softmax(-d_ij / tau) over j != i, so the nearest photo in the batch (however far)
    gets most of the mass; this trains e_img for retrieval without needing same-city pairs.
    """
    n = e.shape[0]
    eye = torch.eye(n, dtype=torch.bool)
    logits = (scale * e @ e.T).masked_fill(eye, -1e4)
    d = haversine_km(coords_deg, coords_deg)
    targets = torch.softmax((-d / tau_km).masked_fill(eye, -1e4), dim=1)
    return _soft_ce(logits, targets)


def multiscale_geo_neighbour_loss(e, coords_deg, scale, taus_km):
    """geo_neighbour_loss with targets averaged over several distance scales (v2).

    With one 300 km scale a photo 0.5 km away (the same landmark) and one 50 km away get nearly
    the same target; averaging softmax(-d/tau) over tau = 1, 25 and 300 km ranks the same landmark
    first, then the same city, then the same region.
    """
    n = e.shape[0]
    eye = torch.eye(n, dtype=torch.bool)
    logits = (scale * e @ e.T).masked_fill(eye, -1e4)
    d = haversine_km(coords_deg, coords_deg)
    targets = sum(torch.softmax((-d / t).masked_fill(eye, -1e4), dim=1) for t in taus_km) / len(taus_km)
    return _soft_ce(logits, targets)


def image_gps_loss(e_img_gps, e_gps_batch, coords_batch, e_gps_negatives, coords_negatives, scale, tau_km):
    """G3's image<->GPS InfoNCE with hard nearby negatives and distance-aware targets (v2).

    Image -> GPS runs over the batch's locations plus the extra nearby negatives (GeoCLIP's idea of
    more GPS negatives, here chosen near each photo); GPS -> image runs over the batch. A location
    d km from the photo gets target weight exp(-d / tau_km) (normalised), so a photo of the same
    landmark 300 m away is not pushed apart as if it were elsewhere.
    """
    gallery = torch.cat([e_gps_batch, e_gps_negatives]) if len(e_gps_negatives) else e_gps_batch
    gallery_coords = torch.cat([coords_batch, coords_negatives]) if len(coords_negatives) else coords_batch
    logits = scale * e_img_gps @ gallery.T
    t = torch.exp(-haversine_km(coords_batch, gallery_coords) / tau_km)
    forward = _soft_ce(logits, t / t.sum(1, keepdim=True))
    nb = e_gps_batch.shape[0]
    tb = t[:, :nb].T
    backward = _soft_ce(logits[:, :nb].T, tb / tb.sum(1, keepdim=True))
    return 0.5 * (forward + backward)
