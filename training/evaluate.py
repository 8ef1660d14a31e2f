"""Evaluates a trained checkpoint (the torch module) on UtteranceEmbedding Avro files.

    /usr/bin/python3 training/evaluate.py --checkpoint training/runs/NAME/best.pt --data dev.avro --json out.json

Weighted F1 (the headline), accuracy, macro F1, per-class F1 and the confusion matrix, for the
mixture and each expert, on full conversations (final events) and on prefixes (provisional events).
The exported ONNX file is evaluated by the Java side (`bin/mister evaluate --offline`); both must agree.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mister_e.data import load_embeddings  # noqa: E402
from mister_e.export import load_checkpoints  # noqa: E402
from mister_e.metrics import evaluate  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", type=Path, required=True, nargs="+",
                   help="one checkpoint, or several (seeds) evaluated as their mean ensemble")
    p.add_argument("--data", type=Path, nargs="+", required=True)
    p.add_argument("--json", type=Path, help="write the full report here")
    p.add_argument("--no-prefix", action="store_true", help="skip prefix (provisional) scoring")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    model = load_checkpoints(a.checkpoint)
    state = torch.load(a.checkpoint[0], map_location="cpu")
    labels = model.cfg.labels
    data = load_embeddings(a.data, labels)
    trained = (state.get("text_encoder"), model.cfg.text_dim, state.get("speech_encoder"), model.cfg.speech_dim)
    seen = (data.text_encoder, data.text_dim, data.speech_encoder, data.speech_dim)
    if trained[0] is not None and trained != seen:
        raise SystemExit(f"the model was trained on {trained}, the data was encoded with {seen}")
    result = evaluate(model, data.conversations, labels, prefix=not a.no_prefix)
    result["data"] = data.summary()
    for mode in ("full", "prefix"):
        if mode in result and result[mode].get("turns", 1):
            m = result[mode]["mixture"]
            print(f"{mode:6s} WF1 {m['weighted_f1']:.2f}  acc {m['accuracy']:.2f}  macro-F1 {m['macro_f1']:.2f}  "
                  f"({m['turns']} labelled turns)  experts WF1: "
                  + ", ".join(f"{e} {result[mode][e]['weighted_f1']:.2f}" for e in ("speech", "text", "cross_modal")))
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(result, indent=1) + "\n")
    return result


if __name__ == "__main__":
    main()
