"""quantize_encoder.py rewrites each constant-weight MatMul into ONNX Runtime's dynamic int8 form."""
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from finetune.quantize_encoder import quantize  # noqa: E402


def _model(weight: np.ndarray) -> onnx.ModelProto:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", weight.shape[0]])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "tokens", weight.shape[0]])
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"], name="dense/MatMul"),
             helper.make_node("Transpose", ["h"], ["h_t"], perm=[0, 2, 1]),
             helper.make_node("MatMul", ["h", "h_t"], ["scores"], name="attention/MatMul"),  # no constant weight
             helper.make_node("MatMul", ["scores", "h"], ["y"], name="context/MatMul")]
    graph = helper.make_graph(nodes, "g", [x], [y], [numpy_helper.from_array(weight, "w")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])


def test_only_constant_weight_matmuls_become_integer_matmuls_with_per_column_scales():
    rng = np.random.default_rng(0)
    weight = (rng.standard_normal((8, 8)) * np.linspace(0.1, 2.0, 8)).astype(np.float32)
    model = _model(weight)
    assert quantize(model) == 1
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("MatMulInteger") == 1 and ops.count("DynamicQuantizeLinear") == 1
    assert ops.count("MatMul") == 2  # the activation x activation products stay float
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    assert "w" not in inits  # the float weight is gone
    q = next(v for k, v in inits.items() if k.endswith("_w_q"))
    scale = next(v for k, v in inits.items() if k.endswith("_w_scale"))
    assert q.dtype == np.int8 and scale.shape == (8,)
    assert np.abs(q).max(axis=0).tolist() == [127] * 8  # symmetric, full range per column
    np.testing.assert_allclose(q * scale, weight, atol=float(scale.max()) / 2 + 1e-7)
    onnx.checker.check_model(model)
    # The rewritten node still writes the MatMul's output, so the rest of the graph is untouched.
    assert any(n.op_type == "Mul" and n.output == ["h"] for n in model.graph.node)
