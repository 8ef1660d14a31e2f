"""Parity files: fixed inputs plus the PyTorch outputs, so ONNX Runtime (Java) can be checked against torch.

Two kinds: :func:`write_parity` (inputs + outputs of one or more models, the test fixtures' format) and
:func:`write_shipped_parity`, the same document for ONE shipped ONNX file plus what the Java test checks
it against (model_version, encoders, the file's SHA-256). Shipped parity files live at
``models/parity/<model-file-stem>-parity.json`` (docs/model-contract.md, "Parity of shipped models").
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, Optional, Sequence

import numpy as np
import torch

from .data import Batch

INPUT_NAMES = ("text", "speech", "text_mask", "speech_mask", "valid")
SHIPPED_TOLERANCE = 1e-4


def parity_document(batch_inputs: Sequence[torch.Tensor], models: Dict[str, torch.nn.Module], description: str,
                    tolerance: float = 1e-5) -> Dict:
    doc = {"description": description, "tolerance": tolerance,
           "lengths": [int(v) for v in batch_inputs[4].sum(1).round().tolist()],
           "inputs": {n: _float32_list(x) for n, x in zip(INPUT_NAMES, batch_inputs)}, "models": {}}
    for name, model in models.items():
        with torch.no_grad():
            probs, gate, expert_probs = model.eval()(*batch_inputs)
        doc["models"][name] = {"outputs": {"probs": _float32_list(probs), "gate": _float32_list(gate),
                                           "expert_probs": _float32_list(expert_probs)}}
    return doc


def write_parity(path: Path, batch: Batch, models: Dict[str, torch.nn.Module], description: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(parity_document(batch.inputs(), models, description)) + "\n")
    return path


def write_shipped_parity(path: Path, batch: Batch, model: torch.nn.Module, onnx_file: Path, metadata: Dict[str, str],
                         description: str, source: Optional[Dict] = None) -> Path:
    """The parity document of one exported model: ``metadata`` is the ONNX file's metadata_props."""
    onnx_file = Path(onnx_file)
    doc = parity_document(batch.inputs(), {onnx_file.name: model}, description, SHIPPED_TOLERANCE)
    entry = doc["models"][onnx_file.name]
    entry.update({"model_version": metadata["model_version"],
                  "text_encoder": metadata["text_encoder"], "text_dim": int(metadata["text_dim"]),
                  "speech_encoder": metadata["speech_encoder"], "speech_dim": int(metadata["speech_dim"]),
                  "labels": metadata["labels"].split(","),
                  "onnx_sha256": hashlib.sha256(onnx_file.read_bytes()).hexdigest()})
    if source:
        doc["source"] = source
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    return path


def _float32_list(x: torch.Tensor):
    """Nested lists of the shortest decimals that read back as the same float32 (a third of the bytes
    of repr(double)); Java parses them to double and narrows to exactly the float32 torch used."""
    a = x.detach().to(torch.float32).numpy()
    flat = [float(np.format_float_positional(v, unique=True, trim="-")) if abs(v) >= 1e-4 or v == 0
            else float(np.format_float_scientific(v, unique=True, trim="-")) for v in a.reshape(-1)]
    return np.asarray(flat, dtype=object).reshape(a.shape).tolist() if a.ndim else flat[0]
