"""Writes the parity file of an exported head: fixed real inputs and the PyTorch outputs.

    /usr/bin/python3 training/tools/shipped_parity.py --checkpoint RUN/best.pt [more seeds] --onnx MODEL.onnx \
        --data EMB/dev.avro [--speech-from EMB/heldout.avro] [--out FILE]

The Java test app/src/test/java/io/mister/app/models/ShippedModelsTest.java loads every models/*.onnx
through the processor's inference code and reproduces these outputs within 1e-4 (docs/model-contract.md,
"Parity of shipped models"). The file goes to models/parity/<stem>-parity.json when MODEL.onnx is under
the repository's models/, else beside it as <stem>-parity.json.

Inputs (deterministic): the first --conversations conversations of --data with at least 3 turns, in
file order, each cut to --max-turns turns (so they differ in length and the batch is padded). Masks:
conversation 0 loses its text on turn 1; when --speech-from is given and has speech, the speech of
its turns (in file order) is given to every turn of conversations 1.. that has none, so paired turns
are covered even when --data is text-only (MELD); then conversation 1 loses its speech on turn 1 and
its text on turn 2. Absent modalities are zeros (the contract). The model_version and encoders come
from the ONNX file's metadata and must agree with the checkpoint's.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import List, Optional, Sequence

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mister_e.data import Conversation, collate, load_embeddings  # noqa: E402
from mister_e.export import load_checkpoints, read_metadata  # noqa: E402
from mister_e.parity import write_shipped_parity  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"


def default_output(onnx_file: Path) -> Path:
    """models/parity/<stem>-parity.json for a shipped model, else <stem>-parity.json beside the model."""
    onnx_file = Path(onnx_file).resolve()
    if onnx_file.parent == MODELS.resolve():
        return MODELS / "parity" / f"{onnx_file.stem}-parity.json"
    return onnx_file.with_name(f"{onnx_file.stem}-parity.json")


def choose(conversations: Sequence[Conversation], count: int, max_turns: int) -> List[Conversation]:
    chosen = [c.prefix(max_turns) for c in conversations if len(c) >= 3][:count]
    if len(chosen) < count:
        raise SystemExit(f"shipped_parity: only {len(chosen)} conversations with >= 3 turns, {count} wanted")
    return chosen


def speech_vectors(conversations: Sequence[Conversation]) -> np.ndarray:
    rows = [c.speech[i] for c in conversations for i in range(len(c)) if c.speech_mask[i] > 0]
    return np.asarray(rows, np.float32)


def give_speech(c: Conversation, donors: np.ndarray, start: int) -> (Conversation, int):
    speech, mask = c.speech.copy(), c.speech_mask.copy()
    for i in range(len(c)):
        if mask[i] == 0 and len(donors):
            speech[i], mask[i] = donors[start % len(donors)], 1.0
            start += 1
    return replace(c, speech=speech, speech_mask=mask), start


def hide(c: Conversation, turn: int, modality: str) -> Conversation:
    if turn >= len(c):
        return c
    if modality == "text":
        mask = c.text_mask.copy()
        mask[turn] = 0.0
        return replace(c, text=c.text * mask[:, None], text_mask=mask)
    mask = c.speech_mask.copy()
    mask[turn] = 0.0
    return replace(c, speech=c.speech * mask[:, None], speech_mask=mask)


def parity_conversations(data: Sequence[Path], labels: Sequence[str], speech_from: Optional[Path], count: int,
                         max_turns: int) -> List[Conversation]:
    chosen = choose(load_embeddings(data, labels).conversations, count, max_turns)
    if speech_from is not None:
        donors, used = speech_vectors(load_embeddings([speech_from], labels).conversations), 0
        for k in range(1, len(chosen)):
            chosen[k], used = give_speech(chosen[k], donors, used)
    chosen[0] = hide(chosen[0], 1, "text")
    if len(chosen) > 1:
        chosen[1] = hide(hide(chosen[1], 1, "speech"), 2, "text")
    return chosen


def describe(chosen: Sequence[Conversation], data: Sequence[Path], speech_from: Optional[Path]) -> str:
    parts = []
    for k, c in enumerate(chosen):
        both = int(((c.text_mask > 0) & (c.speech_mask > 0)).sum())
        text = int(((c.text_mask > 0) & (c.speech_mask == 0)).sum())
        speech = int(((c.text_mask == 0) & (c.speech_mask > 0)).sum())
        parts.append(f"{k}: {c.conversation_id}, {len(c)} turns ({both} paired, {text} text only, "
                     f"{speech} speech only, {len(c) - both - text - speech} neither)")
    donors = f"; speech given from {Path(speech_from).name}" if speech_from else ""
    return (f"Real conversations from {', '.join(Path(p).name for p in data)}{donors} "
            f"(training/tools/shipped_parity.py): " + "; ".join(parts) + ". Compare real turns only (valid = 1).")


def main(argv: Optional[list] = None) -> Path:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True, type=Path, nargs="+",
                   help="best.pt as train.py writes it, or several (a seed ensemble, as exported)")
    p.add_argument("--onnx", required=True, type=Path, help="the model exported from that checkpoint")
    p.add_argument("--data", required=True, type=Path, nargs="+", help="UtteranceEmbedding Avro file(s)")
    p.add_argument("--speech-from", type=Path, help="Avro file whose speech embeddings pair text-only turns")
    p.add_argument("--conversations", type=int, default=3)
    p.add_argument("--max-turns", type=int, default=8)
    p.add_argument("--out", type=Path, help="default: models/parity/<stem>-parity.json or beside the model")
    a = p.parse_args(argv)
    torch.set_num_threads(1)
    state = torch.load(str(a.checkpoint[0]), map_location="cpu")
    metadata = read_metadata(a.onnx)
    for key in ("text_encoder", "speech_encoder"):
        if key in state and state[key] != metadata.get(key):
            raise SystemExit(f"shipped_parity: {a.onnx} says {key} {metadata.get(key)!r}, "
                             f"checkpoint {a.checkpoint[0]} {state[key]!r}: not exported from it")
    model = load_checkpoints(a.checkpoint)
    if metadata.get("labels", "").split(",") != list(model.cfg.labels):
        raise SystemExit(f"shipped_parity: {a.onnx} labels differ from the checkpoint's {model.cfg.labels}")
    chosen = parity_conversations(a.data, model.cfg.labels, a.speech_from, a.conversations, a.max_turns)
    out = a.out or default_output(a.onnx)
    write_shipped_parity(out, collate(chosen), model, a.onnx, metadata, describe(chosen, a.data, a.speech_from))
    print(f"wrote {out} ({out.stat().st_size} bytes; {a.onnx.name} {metadata['model_version']})")
    return out


if __name__ == "__main__":
    main()
