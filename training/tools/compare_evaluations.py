"""Checks that the Java ONNX Runtime evaluation agrees with the torch evaluation of the same model.

    compare_evaluations.py TORCH.json ONNX.json [--tolerance 0.1]

TORCH.json comes from training/evaluate.py; ONNX.json from `bin/mister evaluate --offline --json`.
The weighted F1 of full-conversation scoring is looked up in ONNX.json under the first key named
like weighted_f1 / weightedF1 (searched depth-first); exit 1 when the two differ by more than the
tolerance (in F1 points), exit 2 when ONNX.json holds no such figure.
"""
import json
import re
import sys


def find_wf1(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if re.fullmatch(r"weighted_?f1", k, re.IGNORECASE) and isinstance(v, (int, float)):
                return float(v)
        for v in node.values():
            found = find_wf1(v)
            if found is not None:
                return found
    elif isinstance(node, list):
        for v in node:
            found = find_wf1(v)
            if found is not None:
                return found
    return None


def main(argv):
    tolerance = 0.1
    if "--tolerance" in argv:
        i = argv.index("--tolerance")
        tolerance = float(argv[i + 1])
        del argv[i:i + 2]
    torch_json, onnx_json = argv[:2]
    torch_wf1 = json.load(open(torch_json))["full"]["mixture"]["weighted_f1"]
    onnx_wf1 = find_wf1(json.load(open(onnx_json)))
    if onnx_wf1 is None:
        print(f"{onnx_json}: no weighted F1 found", file=sys.stderr)
        return 2
    if onnx_wf1 <= 1.0 < torch_wf1:      # a fraction rather than points
        onnx_wf1 *= 100.0
    print(f"weighted F1: torch {torch_wf1:.2f}, ONNX Runtime {onnx_wf1:.2f}")
    return 0 if abs(onnx_wf1 - torch_wf1) <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
