"""The real G3 and GeoCLIP architectures in plain torch, with the parameter names of their checkpoints.

Run with Debian's interpreter, /usr/bin/python3. Debian has no python3-transformers, so CLIP's vision
tower is rebuilt here as a minimal ViT whose parameter names are Hugging Face's CLIPVisionTransformer
names (embeddings.patch_embedding, pre_layrnorm, encoder.layers.N.self_attn.q_proj, ...,
post_layernorm): a state dict saved from transformers' CLIPModel.vision_model loads into it with
strict=True. ViT-L/14 is VitConfig.clip_vit_l14(); the self-test uses a narrow, shallow config of
the same structure.

Exported graphs (the service's contract, docs/architecture.md, Ports):
  image:    pixels [N,3,224,224] (CLIP-normalised) -> image_embedding (retrieval), gps_embedding
  location: coords [B,2], ALREADY projected (Mercator for G3, Equal Earth for GeoCLIP, applied in C#
            by ProjectionMath.ToModelInput) -> embedding
Embeddings leave the graphs unnormalised; the manifest's "normalize": true makes the service
L2-normalise them, as both papers do before their dot products.
"""
import math
from dataclasses import dataclass

import torch
from torch import nn
import torch.nn.functional as F


@dataclass(frozen=True)
class VitConfig:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    patch: int = 14
    image: int = 224
    projection: int = 768

    @staticmethod
    def clip_vit_l14():
        """openai/clip-vit-large-patch14's vision tower, the backbone of both G3 and GeoCLIP."""
        return VitConfig(hidden=1024, layers=24, heads=16, intermediate=4096)

    @staticmethod
    def tiny():
        """Same structure, small enough to export and check in seconds (self-test only)."""
        return VitConfig(hidden=64, layers=2, heads=4, intermediate=256)


class _Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.patch_embedding = nn.Conv2d(3, c.hidden, c.patch, c.patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(c.hidden) * 0.02)
        self.position_embedding = nn.Embedding((c.image // c.patch) ** 2 + 1, c.hidden)
        self.register_buffer("position_ids", torch.arange((c.image // c.patch) ** 2 + 1)[None], persistent=False)

    def forward(self, pixels):
        x = self.patch_embedding(pixels).flatten(2).transpose(1, 2)          # [N, P, D]
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        return torch.cat([cls, x], dim=1) + self.position_embedding(self.position_ids)


class _Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.head_dim = c.heads, c.hidden // c.heads
        self.q_proj, self.k_proj = nn.Linear(c.hidden, c.hidden), nn.Linear(c.hidden, c.hidden)
        self.v_proj, self.out_proj = nn.Linear(c.hidden, c.hidden), nn.Linear(c.hidden, c.hidden)

    def forward(self, x, mask=None):
        n, t, d = x.shape

        def split(y):
            return y.reshape(n, t, self.heads, self.head_dim).transpose(1, 2)

        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        if mask is not None:
            scores = scores + mask                                            # additive: 0 or -inf (text: causal)
        a = torch.softmax(scores, dim=-1)
        return self.out_proj((a @ v).transpose(1, 2).reshape(n, t, d))


class _Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(c.hidden, c.intermediate), nn.Linear(c.intermediate, c.hidden)

    def forward(self, x):
        h = self.fc1(x)
        return self.fc2(h * torch.sigmoid(1.702 * h))                        # CLIP's quick_gelu


class _Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer_norm1, self.self_attn = nn.LayerNorm(c.hidden), _Attention(c)
        self.layer_norm2, self.mlp = nn.LayerNorm(c.hidden), _Mlp(c)

    def forward(self, x, mask=None):
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.mlp(self.layer_norm2(x))


class _Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleList(_Layer(c) for _ in range(c.layers))

    def forward(self, x, mask=None):
        for layer in self.layers:
            x = layer(x, mask)
        return x


class ClipVisionTransformer(nn.Module):
    """pixels -> pooled output (post_layernorm of the class token), as CLIPVisionTransformer(...)[1]."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = _Embeddings(c)
        self.pre_layrnorm = nn.LayerNorm(c.hidden)   # sic: Hugging Face's name
        self.encoder = _Encoder(c)
        self.post_layernorm = nn.LayerNorm(c.hidden)

    def forward(self, pixels):
        x = self.encoder(self.pre_layrnorm(self.embeddings(pixels)))
        return self.post_layernorm(x[:, 0])


@dataclass(frozen=True)
class TextConfig:
    """CLIP's text transformer: vocabulary, context, width, depth, heads, MLP width, projection."""
    vocab: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    context: int = 77
    projection: int = 768

    @staticmethod
    def clip_vit_l14():
        """openai/clip-vit-large-patch14's text tower (the text half of the CLIP that G3 and GeoCLIP start from)."""
        return TextConfig(vocab=49408, hidden=768, layers=12, heads=12, intermediate=3072)

    @staticmethod
    def tiny(vocab=600):
        """Same structure, small enough to export and check in seconds (self-test only)."""
        return TextConfig(vocab=vocab, hidden=64, layers=2, heads=4, intermediate=128, projection=64)


class _TextEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.token_embedding = nn.Embedding(c.vocab, c.hidden)
        self.position_embedding = nn.Embedding(c.context, c.hidden)
        self.register_buffer("position_ids", torch.arange(c.context)[None], persistent=False)

    def forward(self, ids):
        return self.token_embedding(ids) + self.position_embedding(self.position_ids[:, :ids.shape[1]])


class ClipTextTransformer(nn.Module):
    """input_ids [N,T] (CLIP's layout: start, BPE ids, end, zero padding) -> pooled [N,hidden]: the final
    layer norm's output at the end token, as CLIPTextTransformer(...)[1] with the original CLIP's rule
    (the end token has the highest id, so argmax finds it). Causal attention, so the padding after the
    end token never changes the pooled output, and T may be shorter than the context in training."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = _TextEmbeddings(c)
        self.encoder = _Encoder(c)
        self.final_layer_norm = nn.LayerNorm(c.hidden)
        causal = torch.full((c.context, c.context), float("-inf")).triu(1)
        self.register_buffer("causal_mask", causal, persistent=False)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.encoder(self.embeddings(ids), self.causal_mask[:t, :t])
        x = self.final_layer_norm(x)
        return x[torch.arange(x.shape[0]), ids.argmax(dim=-1)]


class ClipText(nn.Module):
    """CLIP's text features (text_model -> text_projection) -> (text_embedding, gps_embedding).

    text_embedding lives in CLIP's image-text space, the space of the image model's retrieval output
    when that output is CLIP's image features (GeoCLIP's); gps_embedding is the image model's GPS head
    applied to the text features, which is GeoCLIP's text query (CLIP's shared space lets its image
    MLP take text features). For G3, whose retrieval output is e_img = vision_projection(...), the head
    is vision_projection_else_2 (e_img -> e_gps^image), applied to the text features the same way."""

    def __init__(self, c, gps_head):
        super().__init__()
        self.text_model = ClipTextTransformer(c)
        self.text_projection = nn.Linear(c.hidden, c.projection, bias=False)
        self.gps_head = gps_head

    def forward(self, ids):
        features = self.text_projection(self.text_model(ids))
        return features, self.gps_head(features)


class GaussianEncoding(nn.Module):
    """rff's GaussianEncoding as both checkpoints store it: a frozen parameter b [encoded, 2]."""

    def __init__(self, sigma, encoded=256):
        super().__init__()
        self.b = nn.Parameter(torch.randn(encoded, 2) * sigma, requires_grad=False)

    def forward(self, v):
        vp = 2 * math.pi * v @ self.b.T
        return torch.cat([torch.cos(vp), torch.sin(vp)], dim=-1)


class LocationEncoderCapsule(nn.Module):
    """One scale: RFF (256 -> 512 features) -> 1024 -> 1024 -> 1024 (ReLU) -> head 512."""

    def __init__(self, sigma):
        super().__init__()
        self.capsule = nn.Sequential(GaussianEncoding(sigma), nn.Linear(512, 1024), nn.ReLU(),
                                     nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(1024, 512))

    def forward(self, v):
        return self.head(self.capsule(v))


class LocationEncoder(nn.Module):
    """GeoCLIP's location encoder (G3 reuses it with Mercator): LocEnc0..2 at sigma 2^0, 2^4, 2^8, summed.
    The projection is NOT in the graph: the input is the projected [B,2]."""

    def __init__(self, sigmas=(2 ** 0, 2 ** 4, 2 ** 8)):
        super().__init__()
        self.n = len(sigmas)
        for i, s in enumerate(sigmas):
            self.add_module(f"LocEnc{i}", LocationEncoderCapsule(s))

    def forward(self, v):
        out = self.LocEnc0(v)
        for i in range(1, self.n):
            out = out + getattr(self, f"LocEnc{i}")(v)
        return out


def _mlp2(a, b, c):
    return nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c))


class G3Image(nn.Module):
    """G3: vision_model -> vision_projection (e_img, what G3 indexes) -> vision_projection_else_2 (e_gps^image).
    With concat_retrieval, retrieval is G3's index vector: [e_img | e_text^image | e_gps^image], each
    L2-normalised (vision_projection_else_1 gives e_text^image), 3x768."""

    def __init__(self, vit, concat_retrieval=False):
        super().__init__()
        self.vision_model = ClipVisionTransformer(vit)
        self.vision_projection = nn.Linear(vit.hidden, vit.projection, bias=False)
        self.vision_projection_else_1 = _mlp2(vit.projection, vit.projection, vit.projection)
        self.vision_projection_else_2 = _mlp2(vit.projection, vit.projection, vit.projection)
        self.concat_retrieval = concat_retrieval

    def forward(self, pixels):
        e_img = self.vision_projection(self.vision_model(pixels))
        e_gps = self.vision_projection_else_2(e_img)
        if not self.concat_retrieval:
            return e_img, e_gps
        e_text = self.vision_projection_else_1(e_img)
        return torch.cat([F.normalize(e_img, dim=-1), F.normalize(e_text, dim=-1), F.normalize(e_gps, dim=-1)], dim=-1), e_gps


class G3Location(nn.Module):
    """G3: location_encoder (Mercator input) -> location_projection_else (512 -> 512 -> 768)."""

    def __init__(self):
        super().__init__()
        self.location_encoder = LocationEncoder()
        self.location_projection_else = _mlp2(512, 512, 768)

    def forward(self, coords):
        return self.location_projection_else(self.location_encoder(coords))


class GeoClipImage(nn.Module):
    """GeoCLIP: CLIP image features (vision_model -> visual_projection, 768; the retrieval output) -> mlp -> 512."""

    def __init__(self, vit):
        super().__init__()
        self.vision_model = ClipVisionTransformer(vit)
        self.visual_projection = nn.Linear(vit.hidden, vit.projection, bias=False)
        self.mlp = _mlp2(vit.projection, 768, 512)

    def forward(self, pixels):
        features = self.visual_projection(self.vision_model(pixels))
        return features, self.mlp(features)
