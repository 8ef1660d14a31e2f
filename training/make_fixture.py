"""Writes the processor's test fixtures: two tiny random-init heads and a torch parity file.

    /usr/bin/python3 training/make_fixture.py [--out processor/src/test/resources/models]

tiny-head.onnx (seed 1, model_version tiny-1) and tiny-head-v2.onnx (seed 2, model_version tiny-2,
for hot-swap tests): text_dim 8 (text_encoder test-text@1), speech_dim 6 (speech_encoder
test-speech@1), the 7 MELD labels. tiny-head-parity.json holds fixed inputs (B=2 conversations of
5 and 3 turns, the second padded, some turns without text or speech) and the torch outputs of
both models, so the Java side can check ONNX Runtime against PyTorch.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mister_e.export import ModelMetadata, export_onnx  # noqa: E402
from mister_e.model import HeadConfig, MisterE  # noqa: E402

MELD_LABELS = ["neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear"]
REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "processor" / "src" / "test" / "resources" / "models"


def tiny_config() -> HeadConfig:
    return HeadConfig(text_dim=8, speech_dim=6, labels=list(MELD_LABELS), conv_channels=8, gru_hidden=8,
                      gru_layers=2, classifier_hidden=8, attn_dim=8, attn_heads=2, coattn_blocks=1,
                      projection_dim=4, dropout=0.0)


def tiny_model(seed: int) -> MisterE:
    torch.manual_seed(seed)
    model = MisterE(tiny_config()).eval()
    # Random init gives near-uniform probabilities; sharpen the experts' last layers and the gate so
    # that labels, gate weights and the two versions clearly differ in tests.
    with torch.no_grad():
        for classifier in (model.speech_expert, model.text_expert, model.cross_expert.classifier):
            classifier.net[-1].weight.mul_(6.0)
            classifier.net[-1].bias.mul_(3.0)
        model.gate.net[-1].weight.mul_(4.0)
    return model


def parity_inputs():
    """B=2: conversation 0 has 5 turns, conversation 1 has 3 turns followed by 2 padding turns."""
    g = torch.Generator().manual_seed(42)
    b, t = 2, 5
    text = torch.round(torch.randn(b, t, 8, generator=g) * 1000) / 1000
    speech = torch.round(torch.randn(b, t, 6, generator=g) * 1000) / 1000
    text_mask = torch.ones(b, t)
    speech_mask = torch.ones(b, t)
    valid = torch.ones(b, t)
    speech_mask[0, 1] = 0.0          # conversation 0, turn 1: no audio (chat)
    text_mask[0, 3] = 0.0            # conversation 0, turn 3: ASR failed
    text_mask[1, 2] = 0.0            # conversation 1, turn 2: neither modality
    speech_mask[1, 2] = 0.0
    valid[1, 3:] = 0.0               # conversation 1 ends after 3 turns
    text_mask[1, 3:] = 0.0
    speech_mask[1, 3:] = 0.0
    # Contract: absent embeddings and padding are zeros.
    text = text * text_mask.unsqueeze(-1)
    speech = speech * speech_mask.unsqueeze(-1)
    return text, speech, text_mask, speech_mask, valid


def as_list(x: torch.Tensor):
    return x.detach().to(torch.float32).tolist()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    a = p.parse_args()
    torch.set_num_threads(1)
    inputs = parity_inputs()
    names = ["text", "speech", "text_mask", "speech_mask", "valid"]
    parity = {
        "description": "Fixed inputs and the PyTorch outputs of tiny-head.onnx and tiny-head-v2.onnx "
                       "(written by training/make_fixture.py). Conversation 0: 5 turns, turn 1 without "
                       "speech, turn 3 without text. Conversation 1: 3 turns (turn 2 without either), "
                       "then 2 padding turns. Compare real turns only (valid = 1).",
        "tolerance": 1e-5,
        "lengths": [5, 3],
        "inputs": {n: as_list(x) for n, x in zip(names, inputs)},
        "models": {},
    }
    for file, seed, version in (("tiny-head.onnx", 1, "tiny-1"), ("tiny-head-v2.onnx", 2, "tiny-2")):
        model = tiny_model(seed)
        meta = ModelMetadata(text_encoder="test-text@1", speech_encoder="test-speech@1", model_version=version,
                             trained_on="nothing: random initialisation (test fixture)",
                             evaluation={}, context="bidirectional")
        path = export_onnx(model, meta, args_out(a.out) / file)
        with torch.no_grad():
            probs, gate, expert_probs = model(*inputs)
        parity["models"][file] = {"model_version": version, "seed": seed,
                                  "outputs": {"probs": as_list(probs), "gate": as_list(gate),
                                              "expert_probs": as_list(expert_probs)}}
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    parity_path = args_out(a.out) / "tiny-head-parity.json"
    parity_path.write_text(json.dumps(parity, indent=1) + "\n")
    print(f"wrote {parity_path} ({parity_path.stat().st_size} bytes)")


def args_out(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    return out


if __name__ == "__main__":
    main()
