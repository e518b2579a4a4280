"""g3-mini's frozen parts (convolutional trunk, retrieval head, location encoder) read back from its ONNX files.

Run with Debian's interpreter, /usr/bin/python3 (python3-onnx, python3-torch).

Why: the GPS-head retraining (train_gps_head.py) freezes everything but the head, and the shipped
image.onnx and location.onnx hold exactly those frozen weights. The v2 training checkpoint is not kept
in the repository, so the rebuild recipe (rebuild.sh) starts from the shipped ONNX files instead:
what it freezes is then byte for byte what the service runs.

The export folded each BatchNorm into the convolution before it (eval mode), so the trunk comes back
as convolutions with a bias and no BatchNorm; it computes the same function, and a re-export writes
the same Conv weights. The location encoder's Fourier matrices are checked against the ones its seed
generates, since the location embeddings of the store and the text tower depend on them.
"""
import onnx
import torch
from onnx import numpy_helper
from torch import nn


def _initializers(path):
    graph = onnx.load(str(path)).graph
    return graph, {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}


def _folded_trunk(graph, weights):
    """The four Conv+ReLU stages, in graph order, with the export's folded weights and biases."""
    layers = []
    for node in (n for n in graph.node if n.op_type == "Conv"):
        w, b = weights[node.input[1]], weights[node.input[2]]
        attrs = {a.name: list(a.ints) for a in node.attribute}
        conv = nn.Conv2d(w.shape[1], w.shape[0], w.shape[2], attrs["strides"][0], attrs.get("pads", [0])[0], bias=True)
        conv.weight.data.copy_(w)
        conv.bias.data.copy_(b)
        layers += [conv, nn.ReLU(inplace=True)]
    if len(layers) != 8:
        raise SystemExit(f"expected 4 Conv nodes in image.onnx, found {len(layers) // 2}")
    return nn.Sequential(*layers)


def _shipped_gps_head(weights):
    """The shipped e_gps^image head: the MLP 256 -> hidden -> 128 that train_gps_head.py wrote."""
    w0, w2 = weights["gps.0.weight"], weights["gps.2.weight"]
    head = nn.Sequential(nn.Linear(w0.shape[1], w0.shape[0]), nn.ReLU(), nn.Linear(w2.shape[1], w2.shape[0]))
    for name, p in head.named_parameters():
        p.data.copy_(weights[f"gps.{name}"])
    return head


def load_frozen_from_onnx(model, model_dir):
    """Overwrites model.image (trunk, retrieval, gps = the shipped head) and model.location with the ONNX weights.

    The global torch RNG is left as it was: the new modules' random initialisation is overwritten
    anyway, and train_gps_head.py's head initialisation and shuffling must not depend on this step.
    """
    rng = torch.get_rng_state()
    graph, w = _initializers(f"{model_dir}/image.onnx")
    image = model.image
    image.features = _folded_trunk(graph, w)
    for name in ("trunk.0.weight", "trunk.0.bias", "retrieval.weight", "retrieval.bias"):
        dict(image.named_parameters())[name].data.copy_(w[name])
    image.gps = _shipped_gps_head(w)

    graph, w = _initializers(f"{model_dir}/location.onnx")
    params = dict(model.location.named_parameters())
    for name, p in params.items():
        p.data.copy_(w[name])
    fourier = [w[n.input[1]] for n in graph.node if n.op_type == "MatMul"]
    for branch, b in zip(model.location.branches, fourier):
        if not torch.equal(branch.rff.b, b.T):
            raise SystemExit("location.onnx's Fourier features differ from the ones seed 2 generates; not g3-mini v2")
    if len(fourier) != len(model.location.branches):
        raise SystemExit(f"location.onnx has {len(fourier)} Fourier matrices, the encoder {len(model.location.branches)} scales")
    torch.set_rng_state(rng)
    model.eval()
    return model
