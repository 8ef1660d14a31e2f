"""Writes app/src/test/resources/models/untrained-head.onnx: a small, randomly initialised MiSTER-E head
with the shipped encoders' identities and dimensions (all-minilm-l6-v2-q@1, 384; mister-prosody@1, 88),
so that the app's end-to-end tests run the real encoders and a contract-conforming head. Its labels
mean nothing (it is untrained): tests check plumbing, determinism and replay, never accuracy.

    /usr/bin/python3 app/demo/make-test-head.py      (from the repository root; needs training/)
"""
import os
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
from mister_e.export import ModelMetadata, export_onnx  # noqa: E402
from mister_e.model import HeadConfig, MisterE  # noqa: E402

LABELS = ["neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear"]


def main() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(7)
    config = HeadConfig(text_dim=384, speech_dim=88, labels=LABELS, conv_channels=8, gru_hidden=8, gru_layers=1,
                        classifier_hidden=8, attn_dim=8, attn_heads=2, coattn_blocks=1, projection_dim=4, dropout=0.0)
    model = MisterE(config).eval()
    with torch.no_grad():
        # Sharpen the outputs so labels vary between turns instead of sitting near uniform.
        for classifier in (model.speech_expert, model.text_expert, model.cross_expert.classifier):
            classifier.net[-1].weight.mul_(6.0)
            classifier.net[-1].bias.zero_()
        model.gate.net[-1].weight.mul_(4.0)
        # Sentence embeddings are unit vectors (entries ~0.05): amplify the text input layers so that
        # different sentences land on different labels instead of all on one.
        for conv in model.text_context.convs:
            conv.weight.mul_(20.0)
        model.cross_expert.text_in.weight.mul_(20.0)
    meta = ModelMetadata(text_encoder="all-minilm-l6-v2-q@1", speech_encoder="mister-prosody@1",
                         model_version="untrained-test-1", trained_on="nothing: random initialisation (test fixture)",
                         evaluation={}, context="bidirectional")
    with torch.no_grad():
        g = torch.Generator().manual_seed(0)
        text = torch.nn.functional.normalize(torch.randn(4, 10, 384, generator=g), dim=-1)
        ones = torch.ones(4, 10)
        probs, _, _ = model(text, torch.zeros(4, 10, 88), ones, torch.zeros(4, 10), ones)
        print("labels on random text-only turns:", sorted(set(probs.argmax(-1).flatten().tolist())))
    out = export_onnx(model, meta, ROOT / "app" / "src" / "test" / "resources" / "models" / "untrained-head.onnx")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
