"""g3-mini's three encoders (G3's geo-alignment at a size that trains on two CPU cores).

Run with Debian's interpreter, /usr/bin/python3.

* Image (v2): a small CNN over the 224x224 CLIP-normalised input. The graph first averages 2x2
  pixels (224 -> 112: the scenes' cues are larger than that, and it quarters the training cost, so
  training can cache 112x112 crops), then an 8x8 patch embedding (112 -> 14), three 3x3 conv
  stages (14 -> 14 -> 7 -> 7) and global average + max pooling give a shared trunk feature, then two
  heads: e_img (retrieval) and e_gps^image (compared with location embeddings by the verifier).
* Location: tools/onnx/g3_models.LocationEncoder, G3's encoder (projected coordinates -> random
  Fourier features at several sigmas -> one MLP per scale -> summed). v2 uses four scales,
  2^0, 2^4, 2^8 and 2^12: G3's and GeoCLIP's three plus a street-level one (a 2^12 scale has
  periods of a few km in Mercator units of pi*R), so landmark sites can be told apart. The
  Mercator projection stays outside the network, as the C# encoder applies it.
* Text (training only): a bag of hashed place tokens (EmbeddingBag, mean) and a linear head.
"""
import sys
from pathlib import Path

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "onnx"))
import g3_models  # noqa: E402  (tools/onnx: projection, Fourier features, location encoder, ONNX export)

EMBED_DIM = 128
SIGMAS_V2 = [2.0 ** 0, 2.0 ** 4, 2.0 ** 8, 2.0 ** 12]
TRAIN_SIZE = 112  # what the network sees after its in-graph 2x2 average pooling


def _conv(cin, cout, k, s, p):
    return [nn.Conv2d(cin, cout, k, s, p, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class MiniImageEncoder(nn.Module):
    """[N,3,224,224] -> (e_img [N,D_r], e_gps^image [N,D_g]), both unnormalised (the manifest says normalise).

    forward_small takes the 112x112 pooled input directly (training reads cached pooled crops);
    forward = 2x2 average pooling + forward_small, which is what the ONNX graph holds.
    """

    def __init__(self, retrieval_dim=EMBED_DIM, gps_dim=EMBED_DIM, width=(32, 48, 96, 128), trunk=256):
        super().__init__()
        w0, w1, w2, w3 = width  # narrow: about 11M multiply-adds per photo, so it trains on a shared CPU
        self.features = nn.Sequential(
            *_conv(3, w0, 8, 8, 0),     # 112 -> 14, patch embedding
            *_conv(w0, w1, 3, 1, 1),    # 14 -> 14
            *_conv(w1, w2, 3, 2, 1),    # 14 -> 7
            *_conv(w2, w3, 3, 1, 1))    # 7 -> 7
        self.trunk = nn.Sequential(nn.Linear(2 * w3, trunk), nn.ReLU(inplace=True))
        self.retrieval = nn.Linear(trunk, retrieval_dim)
        self.gps = nn.Linear(trunk, gps_dim)

    def forward(self, pixels):
        return self.forward_small(F.avg_pool2d(pixels, 2))

    def forward_small(self, pixels):
        h = self.trunk_features(pixels)
        return self.retrieval(h), self.gps(h)

    def trunk_features(self, pixels):
        """The shared 256-d feature both heads read, from 112x112 input."""
        f = self.features(pixels)
        # Average and max pooling: colour statistics and the strongest local cue (a landmark, a roof).
        return self.trunk(torch.cat([f.mean(dim=(2, 3)), f.amax(dim=(2, 3))], dim=1))


class PlaceTextEncoder(nn.Module):
    """Hashed place tokens [N,T] (+ mask) -> e_text [N,D]. Training only; never exported."""

    def __init__(self, buckets, dim=EMBED_DIM, hidden=256):
        super().__init__()
        self.tokens = nn.Embedding(buckets, hidden)
        self.head = nn.Sequential(nn.ReLU(), nn.Linear(hidden, dim))

    def forward(self, ids, mask):
        e = self.tokens(ids) * mask.unsqueeze(-1)
        mean = e.sum(1) / mask.sum(1, keepdim=True).clamp_min(1.0)
        return self.head(mean)


def location_encoder(seed, dim=EMBED_DIM, encoded=128, hidden=(256, 256), sigmas=None):
    """G3's location encoder: one branch per scale (2*encoded Fourier features -> hidden -> dim), summed."""
    return g3_models.LocationEncoder(sigmas or SIGMAS_V2, encoded=encoded, hidden=list(hidden), out_dim=dim, seed=seed)


def mercator(coords_deg):
    """[(lat, lon)] degrees -> [B,2] float32 tensor, exactly as ProjectionMath.ToModelInput (G3 Mercator)."""
    return torch.from_numpy(g3_models.project([tuple(p) for p in coords_deg], "mercator"))


def l2n(x):
    return F.normalize(x, dim=-1)
