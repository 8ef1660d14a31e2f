"""The fusion proof: a synthetic paired set whose label only the combination of modalities reveals.

    /usr/bin/python3 training/fusion_proof.py            # ~1-2 minutes on one core

1. writes the set (training/tools/write_embeddings.py --task fusion: label = (text cluster + speech
   cluster) mod 4, real encoder dims 384 / 88, fixed seeds) under training/runs/fusion-proof/data;
2. trains the head on it (train.py, selection on dev only);
3. measures on the held-out test split: each expert's and the mixture's accuracy on paired turns,
   the gate weight of masked modalities (must be exactly 0), and what happens when one modality is
   removed from every turn;
4. exports models/mister-e-fusion-proof.onnx with the figures in its metadata and writes
   training/runs/fusion-proof/proof.json and the model's parity file
   models/parity/mister-e-fusion-proof-parity.json (fixed inputs + torch outputs, which the Java
   ShippedModelsTest reproduces through ONNX Runtime).
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train as trainer  # noqa: E402
from mister_e.data import collate, load_embeddings  # noqa: E402
from mister_e.export import ModelMetadata, export_onnx, load_checkpoint, read_metadata  # noqa: E402
from mister_e.metrics import predict_full  # noqa: E402
from mister_e.model import EXPERTS  # noqa: E402
from mister_e.parity import write_shipped_parity  # noqa: E402
from tools import write_embeddings  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
RUN = REPO / "training" / "runs" / "fusion-proof"
MODEL = REPO / "models" / "mister-e-fusion-proof.onnx"
PARITY = REPO / "models" / "parity" / "mister-e-fusion-proof-parity.json"
LABELS = "neutral,joy,anger,sadness"
GENERATOR = ["--task", "fusion", "--labels", LABELS, "--text-dim", "384", "--speech-dim", "88",
             "--train", "600", "--dev", "100", "--test", "100", "--world-seed", "7", "--seed", "11"]


def accuracy(gold, probs, rows):
    return round(100.0 * float((probs[rows].argmax(-1) == gold[rows]).mean()), 2) if rows.any() else None


def measure(model, conversations, labels):
    pred = predict_full(model, conversations)
    gold, tm, sm = pred["gold"], pred["text_mask"] > 0, pred["speech_mask"] > 0
    paired = tm & sm
    out = {"turns": int(len(gold)), "paired_turns": int(paired.sum()), "chance": round(100.0 / len(labels), 2),
           "accuracy_on_paired_turns": {"mixture": accuracy(gold, pred["probs"], paired)},
           "accuracy_all_turns": {"mixture": accuracy(gold, pred["probs"], np.ones_like(paired))}}
    for e, name in enumerate(EXPERTS):
        out["accuracy_on_paired_turns"][name] = accuracy(gold, pred["expert_probs"][:, e], paired)
        out["accuracy_all_turns"][name] = accuracy(gold, pred["expert_probs"][:, e], np.ones_like(paired))
    gate = pred["gate"]
    out["mean_gate_on_paired_turns"] = {n: round(float(gate[paired, e].mean()), 4) if paired.any() else None
                                        for e, n in enumerate(EXPERTS)}
    out["turns_without_speech"] = int((~sm).sum())
    out["turns_without_text"] = int((~tm).sum())
    out["max_speech_gate_where_speech_absent"] = float(gate[~sm, 0].max()) if (~sm).any() else None
    out["max_text_gate_where_text_absent"] = float(gate[~tm, 1].max()) if (~tm).any() else None
    return out


def without(conversations, modality):
    """The same conversations with one modality removed from every turn."""
    out = []
    for c in conversations:
        if modality == "speech":
            out.append(replace(c, speech=c.speech * 0, speech_mask=c.speech_mask * 0))
        else:
            out.append(replace(c, text=c.text * 0, text_mask=c.text_mask * 0))
    return out


def main():
    data = RUN / "data"
    write_embeddings.main(GENERATOR + ["--out-dir", str(data)])
    args = trainer.parse_args([
        "--train", str(data / "train.avro"), "--dev", str(data / "dev.avro"), "--test", str(data / "test.avro"),
        "--labels", LABELS, "--out", str(RUN / "run"), "--eval-name", "synthetic_fusion_dev",
        "--epochs", "40", "--patience", "8", "--conv-channels", "16", "--gru-hidden", "16", "--gru-layers", "2",
        "--attn-dim", "32", "--attn-heads", "4", "--classifier-hidden", "32", "--projection-dim", "16",
        "--seed", "13", "--quiet"])
    report = trainer.train(args)
    labels = LABELS.split(",")
    model = load_checkpoint(RUN / "run" / "best.pt")
    test = load_embeddings([data / "test.avro"], labels).conversations
    proof = {"test": measure(model, test, labels),
             "test_speech_removed": measure(model, without(test, "speech"), labels),
             "test_text_removed": measure(model, without(test, "text"), labels),
             "generator": " ".join(GENERATOR), "best_epoch": report["best_epoch"]}
    (RUN / "proof.json").write_text(json.dumps(proof, indent=1) + "\n")
    t = proof["test"]
    figures = dict(report["evaluation"])
    for name, v in t["accuracy_on_paired_turns"].items():
        figures[f"synthetic_fusion_test_paired_accuracy_{name}"] = v
    figures["synthetic_fusion_test_chance_accuracy"] = t["chance"]
    meta = ModelMetadata(text_encoder="synthetic-text@1", speech_encoder="synthetic-speech@1",
                         model_version="mister-e-fusion-proof-1",
                         trained_on="synthetic paired fusion set (training/tools/write_embeddings.py --task fusion, "
                                    "world seed 7, seed 11): label = (text cluster + speech cluster) mod 4",
                         evaluation=figures, context="bidirectional")
    path = export_onnx(model, meta, MODEL)
    parity = write_shipped_parity(PARITY, collate(test[:3]), model, path, read_metadata(path),
                                  "The first three fusion-proof test conversations (training/fusion_proof.py), "
                                  "some turns without text or speech. Compare real turns only (valid = 1).")
    print(json.dumps(proof, indent=1))
    print(f"exported {path} ({path.stat().st_size} bytes), parity file {parity}")


if __name__ == "__main__":
    main()
