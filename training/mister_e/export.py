"""ONNX export of the MiSTER-E head per docs/model-contract.md.

Inputs text, speech, text_mask, speech_mask, valid -> outputs probs, gate, expert_probs; dynamic B
and T; metadata_props labels, text_encoder, text_dim, speech_encoder, speech_dim, model_version,
context, trained_on, evaluation. The written file is checked with onnx.checker.
"""
from __future__ import annotations

import argparse
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Optional, Sequence

import onnx
import torch

from .ensemble import SeedEnsemble
from .model import HeadConfig, MisterE

INPUT_NAMES = ["text", "speech", "text_mask", "speech_mask", "valid"]
OUTPUT_NAMES = ["probs", "gate", "expert_probs"]
DEFAULT_OPSET = 14


@dataclass
class ModelMetadata:
    """The metadata_props the processor reads (docs/model-contract.md)."""

    text_encoder: str
    speech_encoder: str
    model_version: str
    trained_on: str
    evaluation: Dict[str, float] = field(default_factory=dict)
    context: str = "bidirectional"

    def props(self, cfg: HeadConfig) -> Dict[str, str]:
        if self.context not in ("bidirectional", "causal"):
            raise ValueError(f"context must be bidirectional or causal, not {self.context!r}")
        for name, label in enumerate(cfg.labels):
            if "," in label or not label.strip():
                raise ValueError(f"label #{name} {label!r} cannot be written to a comma-separated list")
        return {
            "labels": ",".join(cfg.labels),
            "text_encoder": self.text_encoder,
            "text_dim": str(cfg.text_dim),
            "speech_encoder": self.speech_encoder,
            "speech_dim": str(cfg.speech_dim),
            "model_version": self.model_version,
            "context": self.context,
            "trained_on": self.trained_on,
            "evaluation": json.dumps(self.evaluation, sort_keys=True),
        }


def example_inputs(cfg: HeadConfig, batch: int = 2, turns: int = 4):
    """Small example tensors for tracing (the second conversation is shorter and misses modalities)."""
    g = torch.Generator().manual_seed(0)
    text = torch.randn(batch, turns, cfg.text_dim, generator=g)
    speech = torch.randn(batch, turns, cfg.speech_dim, generator=g)
    text_mask = torch.ones(batch, turns)
    speech_mask = torch.ones(batch, turns)
    valid = torch.ones(batch, turns)
    if batch > 1:
        valid[1, turns - 1:] = 0
        speech_mask[1, 0] = 0
        text_mask[1, 1] = 0
    return text, speech, text_mask, speech_mask, valid


def export_onnx(model: MisterE, metadata: ModelMetadata, path: Path, opset: int = DEFAULT_OPSET) -> Path:
    """Writes the model to ``path`` with dynamic B and T and the contract's metadata; checks it."""
    if not 13 <= opset <= 17:
        raise ValueError(f"opset {opset} outside the supported 13..17")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    dynamic = {"text": {0: "B", 1: "T"}, "speech": {0: "B", 1: "T"}, "text_mask": {0: "B", 1: "T"},
               "speech_mask": {0: "B", 1: "T"}, "valid": {0: "B", 1: "T"},
               "probs": {0: "B", 1: "T"}, "gate": {0: "B", 1: "T"}, "expert_probs": {0: "B", 1: "T"}}
    with torch.no_grad(), warnings.catch_warnings():
        # torch 1.13 warns about GRU batch sizes (we pass no initial state, so B is dynamic: checked
        # with ONNX Runtime) and about shape inference of constants; neither applies here.
        warnings.simplefilter("ignore", UserWarning)
        torch.onnx.export(model, example_inputs(model.cfg), str(path), input_names=INPUT_NAMES,
                          output_names=OUTPUT_NAMES, dynamic_axes=dynamic, opset_version=opset,
                          do_constant_folding=True)
    proto = onnx.load(str(path))
    del proto.metadata_props[:]
    for key, value in metadata.props(model.cfg).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    members = len(model.heads) if isinstance(model, SeedEnsemble) else 1
    proto.doc_string = "MiSTER-E emotion head (speech, text and cross-modal experts with a gate)" + (
        f"; mean of {members} heads trained with different seeds" if members > 1 else "")
    onnx.checker.check_model(proto, full_check=True)
    onnx.save(proto, str(path))
    return path


def read_metadata(path: Path) -> Dict[str, str]:
    return {p.key: p.value for p in onnx.load(str(path)).metadata_props}


def load_checkpoint(path: Path) -> MisterE:
    state = torch.load(str(path), map_location="cpu")
    model = MisterE(HeadConfig.from_dict(state["config"]))
    model.load_state_dict(state["model"])
    return model.eval()


def load_checkpoints(paths: Sequence[Path]):
    """One checkpoint: its head. Several (seeds of one recipe): their :class:`SeedEnsemble`."""
    heads = [load_checkpoint(p) for p in paths]
    return heads[0] if len(heads) == 1 else SeedEnsemble(heads).eval()


def main(argv: Optional[list] = None) -> None:
    p = argparse.ArgumentParser(description="Export a trained MiSTER-E checkpoint to ONNX (docs/model-contract.md).")
    p.add_argument("--checkpoint", required=True, type=Path, nargs="+",
                   help="one checkpoint, or several (seeds) exported as their mean (mister_e.ensemble)")
    p.add_argument("--output", required=True, type=Path)
    p.add_argument("--text-encoder", required=True)
    p.add_argument("--speech-encoder", required=True)
    p.add_argument("--model-version", required=True)
    p.add_argument("--trained-on", required=True)
    p.add_argument("--evaluation", default="{}", help="JSON object of evaluation figures")
    p.add_argument("--context", default="bidirectional", choices=["bidirectional", "causal"])
    p.add_argument("--opset", type=int, default=DEFAULT_OPSET)
    a = p.parse_args(argv)
    meta = ModelMetadata(a.text_encoder, a.speech_encoder, a.model_version, a.trained_on,
                         json.loads(a.evaluation), a.context)
    out = export_onnx(load_checkpoints(a.checkpoint), meta, a.output, a.opset)
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
