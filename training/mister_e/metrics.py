"""Evaluation of the torch head: weighted F1 (headline), accuracy, macro F1, per-class F1, confusion
matrix; for the mixture and each expert; on full conversations and on prefixes (provisional scoring)."""
from __future__ import annotations

from typing import Dict, Sequence

import numpy as np
import torch
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from .data import Conversation, collate
from .model import EXPERTS, MisterE


def classification_report(gold: np.ndarray, pred: np.ndarray, labels: Sequence[str]) -> Dict:
    ids = list(range(len(labels)))
    if len(gold) == 0:
        return {"turns": 0}
    per_class = f1_score(gold, pred, labels=ids, average=None, zero_division=0)
    return {
        "turns": int(len(gold)),
        "weighted_f1": round(100 * f1_score(gold, pred, labels=ids, average="weighted", zero_division=0), 2),
        "accuracy": round(100 * accuracy_score(gold, pred), 2),
        "macro_f1": round(100 * f1_score(gold, pred, labels=ids, average="macro", zero_division=0), 2),
        "per_class_f1": {name: round(100 * float(v), 2) for name, v in zip(labels, per_class)},
        "confusion_matrix": confusion_matrix(gold, pred, labels=ids).tolist(),
    }


@torch.no_grad()
def predict_full(model: MisterE, conversations: Sequence[Conversation], batch_size: int = 32) -> Dict[str, np.ndarray]:
    """Scores each conversation whole (final events). Returns flat arrays over labelled turns."""
    return _collect(model, [(i, list(range(len(c)))) for i, c in enumerate(conversations)], conversations,
                    batch_size, prefix=False)


@torch.no_grad()
def predict_prefix(model: MisterE, conversations: Sequence[Conversation], batch_size: int = 64) -> Dict[str, np.ndarray]:
    """Scores turn t from the prefix 0..t only (provisional events, as the processor emits them)."""
    return _collect(model, [(i, list(range(len(c)))) for i, c in enumerate(conversations)], conversations,
                    batch_size, prefix=True)


def _collect(model, jobs, conversations, batch_size, prefix: bool) -> Dict[str, np.ndarray]:
    model.eval()
    gold, mix, experts, gates, tmask, smask = [], [], [], [], [], []
    if prefix:
        # Every (conversation, turn) pair becomes one prefix; its last turn is the scored one.
        items = [(conversations[i].prefix(t + 1), t) for i, turns in jobs for t in turns]
    else:
        items = [(conversations[i], None) for i, _ in jobs]
    for start in range(0, len(items), batch_size):
        chunk = items[start:start + batch_size]
        batch = collate([c for c, _ in chunk])
        out = model.run(*batch.inputs())
        for j, (c, t) in enumerate(chunk):
            rows = range(len(c)) if t is None else [t]
            for r in rows:
                if c.labels[r] < 0:
                    continue
                gold.append(int(c.labels[r]))
                mix.append(out.probs[j, r].numpy())
                experts.append(out.expert_probs[j, r].numpy())
                gates.append(out.gate[j, r].numpy())
                tmask.append(c.text_mask[r])
                smask.append(c.speech_mask[r])
    return {"gold": np.array(gold, np.int64), "probs": np.array(mix), "expert_probs": np.array(experts),
            "gate": np.array(gates), "text_mask": np.array(tmask), "speech_mask": np.array(smask)}


def report(pred: Dict[str, np.ndarray], labels: Sequence[str]) -> Dict:
    gold = pred["gold"]
    if len(gold) == 0:
        return {"turns": 0}
    out = {"mixture": classification_report(gold, pred["probs"].argmax(-1), labels)}
    for e, name in enumerate(EXPERTS):
        out[name] = classification_report(gold, pred["expert_probs"][:, e].argmax(-1), labels)
    out["mean_gate"] = {name: round(float(pred["gate"][:, e].mean()), 4) for e, name in enumerate(EXPERTS)}
    return out


def evaluate(model: MisterE, conversations: Sequence[Conversation], labels: Sequence[str],
             prefix: bool = True) -> Dict:
    result = {"full": report(predict_full(model, conversations), labels)}
    if prefix:
        result["prefix"] = report(predict_prefix(model, conversations), labels)
    return result
