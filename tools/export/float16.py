"""float16 copy of an exported float32 ONNX image model, for GPUs (tensor cores).

The weights, constants and internal arithmetic become float16; the graph's inputs and outputs stay
float32 (a Cast after each input and before each output), so the service feeds and reads it exactly as
the float32 model and the manifest contract does not change. The file is marked with the metadata entry
g3.precision=float16, which the service checks against the manifest's "precision" at load.

Written with the onnx package alone (Debian's python3-onnx): no onnxconverter-common here.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

PRECISION_KEY = "g3.precision"


def _half(tensor):
    return numpy_helper.from_array(numpy_helper.to_array(tensor).astype(np.float16), tensor.name)


def convert(source, target):
    model = onnx.load(str(source))
    graph = model.graph
    for i, init in enumerate(graph.initializer):
        if init.data_type == TensorProto.FLOAT:
            graph.initializer[i].CopyFrom(_half(init))
    for node in graph.node:
        for attr in node.attribute:
            if node.op_type == "Constant" and attr.name == "value" and attr.t.data_type == TensorProto.FLOAT:
                attr.t.CopyFrom(_half(attr.t))
            elif node.op_type == "Cast" and attr.name == "to" and attr.i == TensorProto.FLOAT:
                attr.i = TensorProto.FLOAT16
            elif node.op_type == "ConstantOfShape" and attr.name == "value" and attr.t.data_type == TensorProto.FLOAT:
                attr.t.CopyFrom(_half(attr.t))

    casts_in, casts_out = [], []
    for value in graph.input:
        if value.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        half = value.name + "_fp16"
        for node in graph.node:
            for k, name in enumerate(node.input):
                if name == value.name:
                    node.input[k] = half
        casts_in.append(helper.make_node("Cast", [value.name], [half], to=TensorProto.FLOAT16, name=half + "_cast"))
    for value in graph.output:
        if value.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        half = value.name + "_fp16"
        for node in graph.node:
            for k, name in enumerate(node.output):
                if name == value.name:
                    node.output[k] = half
            for k, name in enumerate(node.input):  # an output also read inside the graph
                if name == value.name:
                    node.input[k] = half
        casts_out.append(helper.make_node("Cast", [half], [value.name], to=TensorProto.FLOAT, name=value.name + "_cast"))
    nodes = casts_in + list(graph.node) + casts_out
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.value_info[:]  # intermediate types changed; ONNX Runtime infers them again
    props = {p.key: p.value for p in model.metadata_props}
    props[PRECISION_KEY] = "float16"
    del model.metadata_props[:]
    for key, value in props.items():
        model.metadata_props.add(key=key, value=value)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
