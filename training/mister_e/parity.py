"""Parity files: fixed inputs plus the PyTorch outputs, so ONNX Runtime (Java) can be checked against torch."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, Sequence

import torch

from .data import Batch

INPUT_NAMES = ("text", "speech", "text_mask", "speech_mask", "valid")


def parity_document(batch_inputs: Sequence[torch.Tensor], models: Dict[str, torch.nn.Module], description: str,
                    tolerance: float = 1e-5) -> Dict:
    doc = {"description": description, "tolerance": tolerance,
           "lengths": [int(v) for v in batch_inputs[4].sum(1).round().tolist()],
           "inputs": {n: x.tolist() for n, x in zip(INPUT_NAMES, batch_inputs)}, "models": {}}
    for name, model in models.items():
        with torch.no_grad():
            probs, gate, expert_probs = model.eval()(*batch_inputs)
        doc["models"][name] = {"outputs": {"probs": probs.tolist(), "gate": gate.tolist(),
                                           "expert_probs": expert_probs.tolist()}}
    return doc


def write_parity(path: Path, batch: Batch, models: Dict[str, torch.nn.Module], description: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(parity_document(batch.inputs(), models, description)) + "\n")
    return path
