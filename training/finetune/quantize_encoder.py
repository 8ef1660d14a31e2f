"""Dynamic int8 quantisation of an exported text encoder (the `--fp32` output of export_encoder.py),
written with the `onnx` package because Debian has no onnxruntime for Python: every MatMul whose
second input is a float weight matrix becomes

    A_q, A_scale, A_zero = DynamicQuantizeLinear(A)           # uint8 activations, per call
    Y = Cast(MatMulInteger(A_q, W_q, A_zero, 0)) * (A_scale * W_scale)

with W_q int8, symmetric per output column (W_scale = max |W[:, n]| / 127). This is the operator set
ONNX Runtime's own `quantize_dynamic` writes for BERT models (the built-in `*-q` encoders), so the Java
encoder runs it unchanged; the remaining large float initializers (embedding tables) are stored fp16
with a Cast back to fp32. Quantised embeddings differ from the float model's (cosine ~0.99), so a head
must be trained on the quantised encoder's own embeddings, and `encoder.json` should say
`"batching": "per_window"` (dynamic activation ranges depend on padding).

    python3 training/finetune/quantize_encoder.py --encoder DIR_FP32 --out DIR_Q [--version V]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from finetune.export_encoder import weights_to_fp16  # noqa: E402


def quantize(model: onnx.ModelProto) -> int:
    """Rewrites the MatMuls with constant 2-D float weights in place; returns how many."""
    graph = model.graph
    weights = {i.name: i for i in graph.initializer}
    nodes, quantized, dropped = [], 0, set()
    for node in graph.node:
        w = weights.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w is None or w.data_type != TensorProto.FLOAT or len(w.dims) != 2:
            nodes.append(node)
            continue
        array = numpy_helper.to_array(w).astype(np.float32)
        scale = np.abs(array).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        q = np.clip(np.rint(array / scale), -127, 127).astype(np.int8)
        base = node.output[0]
        names = {k: f"{base}_{k}" for k in ("a_q", "a_scale", "a_zero", "w_q", "w_zero", "w_scale", "int",
                                           "float", "scale")}
        graph.initializer.extend([
            numpy_helper.from_array(q, names["w_q"]),
            numpy_helper.from_array(np.array(0, dtype=np.int8), names["w_zero"]),
            numpy_helper.from_array(scale.astype(np.float32), names["w_scale"]),
        ])
        nodes.extend([
            helper.make_node("DynamicQuantizeLinear", [node.input[0]],
                             [names["a_q"], names["a_scale"], names["a_zero"]], name=base + "_quant"),
            helper.make_node("MatMulInteger", [names["a_q"], names["w_q"], names["a_zero"], names["w_zero"]],
                             [names["int"]], name=base + "_matmul_int"),
            helper.make_node("Cast", [names["int"]], [names["float"]], to=TensorProto.FLOAT, name=base + "_cast"),
            helper.make_node("Mul", [names["a_scale"], names["w_scale"]], [names["scale"]], name=base + "_scale"),
            helper.make_node("Mul", [names["float"], names["scale"]], [node.output[0]], name=base + "_rescale"),
        ])
        dropped.add(w.name)
        quantized += 1
    still_used = {i for n in nodes for i in n.input}
    kept = [i for i in graph.initializer if i.name not in dropped or i.name in still_used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    del graph.node[:]
    graph.node.extend(nodes)
    return quantized


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--encoder", required=True, type=Path, help="directory encoder with an fp32 model.onnx")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--id", help="encoder id of the quantised encoder (default: the input's)")
    p.add_argument("--version", help="its version (default: the input's)")
    a = p.parse_args(argv)
    model = onnx.load(str(a.encoder / "model.onnx"))
    count = quantize(model)
    weights_to_fp16(model)
    model.doc_string = (model.doc_string + " int8 dynamic quantisation (training/finetune/quantize_encoder.py)").strip()
    onnx.checker.check_model(model)
    a.out.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(a.out / "model.onnx"))
    shutil.copyfile(a.encoder / "tokenizer.json", a.out / "tokenizer.json")
    manifest = json.loads((a.encoder / "encoder.json").read_text())
    manifest.update(batching="per_window")
    if a.id:
        manifest["id"] = a.id
    if a.version:
        manifest["version"] = a.version
    (a.out / "encoder.json").write_text(json.dumps(manifest, indent=1) + "\n")
    size = (a.out / "model.onnx").stat().st_size / 1e6
    print(f"quantised {count} MatMuls; wrote {a.out / 'model.onnx'} ({size:.1f} MB) and encoder.json {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
