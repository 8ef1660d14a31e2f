"""Trains the MiSTER-E head on UtteranceEmbedding Avro files; one command, reproducible.

    /usr/bin/python3 training/train.py --train train.avro --dev dev.avro --out training/runs/NAME \
        [--export models/NAME.onnx --model-version NAME-1 --trained-on "..."]

Fixed seeds, a deterministic data order (seeded shuffle), random prefix truncation for provisional
(prefix) scoring, early stopping and model selection on the dev split only. Writes
OUT/best.pt, OUT/report.json (history + dev figures, full-conversation and prefix) and, with
--export, the ONNX model (docs/model-contract.md). See docs/training.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mister_e.data import (MELD_LABELS, Augmentation, EmbeddingSet, NeutralDonors, load_embeddings,  # noqa: E402
                           training_batches)  # noqa: E402
from mister_e.export import ModelMetadata, export_onnx  # noqa: E402
from mister_e.losses import LossWeights, class_balanced_alpha, mister_e_loss  # noqa: E402
from mister_e.metrics import evaluate  # noqa: E402
from mister_e.model import CONTEXTS, MIXINGS, HeadConfig, MisterE  # noqa: E402


def seed_everything(seed: int, threads: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    io = p.add_argument_group("data and outputs")
    io.add_argument("--train", type=Path, nargs="+", required=True, help="training Avro file(s)")
    io.add_argument("--dev", type=Path, nargs="+", required=True, help="dev Avro file(s): model selection only")
    io.add_argument("--test", type=Path, nargs="*", default=[], help="reported once at the end, never used to select")
    io.add_argument("--out", type=Path, required=True, help="run directory (checkpoint, report)")
    io.add_argument("--labels", default=",".join(MELD_LABELS), help="class names in output order")
    io.add_argument("--eval-name", default="dev", help="prefix of the evaluation keys written to the model")
    io.add_argument("--export", type=Path, help="write the selected model to this ONNX file")
    io.add_argument("--model-version", default="mister-e-dev")
    io.add_argument("--trained-on", default="")
    io.add_argument("--opset", type=int, default=14)

    hp = p.add_argument_group("model sizes (every size is a hyper-parameter)")
    d = HeadConfig()
    for name in ("conv_channels", "gru_hidden", "gru_layers", "classifier_hidden", "attn_dim", "attn_heads",
                 "coattn_blocks", "gate_hidden", "projection_dim"):
        hp.add_argument("--" + name.replace("_", "-"), type=int, default=getattr(d, name))
    hp.add_argument("--gate-temperature", type=float, default=d.gate_temperature)
    hp.add_argument("--dropout", type=float, default=d.dropout)
    ab = p.add_argument_group("ablations (issue #6; defaults = the full model)")
    ab.add_argument("--mixing", choices=list(MIXINGS), default=d.mixing,
                    help="gate: the learned gate; uniform: equal weights over the available experts")
    ab.add_argument("--experts", default=",".join(d.experts),
                    help="comma-separated subset of speech,text,cross_modal the mixture uses (the others weigh 0)")
    ab.add_argument("--context", choices=list(CONTEXTS), default=d.context,
                    help="full: conv k=1/3/5 + bi-GRU; none: conv k=1 + ReLU only (each turn on its own)")

    lw = p.add_argument_group("losses")
    w = LossWeights()
    lw.add_argument("--w-mixture", type=float, default=w.mixture)
    lw.add_argument("--w-experts", type=float, default=w.experts)
    lw.add_argument("--w-contrastive", type=float, default=w.contrastive)
    lw.add_argument("--w-kl", type=float, default=w.kl)
    lw.add_argument("--focal-gamma", type=float, default=w.focal_gamma)
    lw.add_argument("--contrastive-temperature", type=float, default=w.contrastive_temperature)
    lw.add_argument("--class-balanced", action="store_true", help="class-balanced focal alpha (effective number)")
    lw.add_argument("--cb-beta", type=float, default=0.999)

    tr = p.add_argument_group("optimisation")
    tr.add_argument("--epochs", type=int, default=40)
    tr.add_argument("--patience", type=int, default=8, help="epochs without dev improvement before stopping")
    tr.add_argument("--batch-size", type=int, default=16, help="conversations per batch")
    tr.add_argument("--lr", type=float, default=1e-3)
    tr.add_argument("--weight-decay", type=float, default=1e-4)
    tr.add_argument("--clip", type=float, default=1.0)
    tr.add_argument("--prefix-probability", type=float, default=0.5)
    tr.add_argument("--modality-dropout", type=float, default=0.1)
    tr.add_argument("--pair-probability", type=float, default=0.0,
                    help="chance a training conversation's one-modality turns get a neutral partner for the missing "
                         "modality (speech from neutral speech-only turns, text from neutral text-only turns "
                         "without ! or ?); the label stays the informative modality's")
    tr.add_argument("--speech-donors", choices=["neutral", "any"], default="neutral",
                    help="speech partners of text-only turns: neutral speech only, or speech of any label")
    tr.add_argument("--donor-expert-loss", action="store_true",
                    help="also train the speech/text expert (focal, KL) on a donated neutral modality")
    tr.add_argument("--select", choices=["full", "prefix", "mean", "last"], default="full",
                    help="dev weighted F1 used for model selection: full conversations, prefixes, or their mean; "
                         "last: no selection, keep the final epoch (for a variant the dev split cannot score, "
                         "e.g. a speech-only model with a text-only dev split)")
    tr.add_argument("--seed", type=int, default=13)
    tr.add_argument("--threads", type=int, default=1, help="torch threads (1 while others share the CPU)")
    tr.add_argument("--quiet", action="store_true", help="no progress bars")
    return p.parse_args(argv)


def check_same_encoders(train: EmbeddingSet, other: EmbeddingSet, name: str) -> None:
    if (train.text_encoder, train.text_dim, train.speech_encoder, train.speech_dim) != \
            (other.text_encoder, other.text_dim, other.speech_encoder, other.speech_dim):
        raise SystemExit(f"{name} was encoded with {other.text_encoder}[{other.text_dim}]/"
                         f"{other.speech_encoder}[{other.speech_dim}], train with {train.text_encoder}"
                         f"[{train.text_dim}]/{train.speech_encoder}[{train.speech_dim}]")


def selection_score(result: Dict, how: str) -> float:
    full = result["full"]["mixture"]["weighted_f1"]
    prefix = result["prefix"]["mixture"]["weighted_f1"]
    return {"full": full, "prefix": prefix, "mean": (full + prefix) / 2, "last": full}[how]


def headline(result: Dict, name: str) -> Dict[str, float]:
    """The flat evaluation figures written into the model's metadata."""
    out = {}
    for mode, suffix in (("full", ""), ("prefix", "_prefix")):
        m = result[mode]["mixture"]
        out[f"{name}{suffix}_weighted_f1"] = m["weighted_f1"]
        out[f"{name}{suffix}_accuracy"] = m["accuracy"]
        out[f"{name}{suffix}_macro_f1"] = m["macro_f1"]
    return out


def train(a) -> Dict:
    from tqdm import tqdm
    seed_everything(a.seed, a.threads)
    labels = a.labels.split(",")
    train_set = load_embeddings(a.train, labels)
    dev_set = load_embeddings(a.dev, labels)
    check_same_encoders(train_set, dev_set, "dev")
    print(f"train: {train_set.summary()}\ndev:   {dev_set.summary()}")
    for name, s in (("train", train_set), ("dev", dev_set)):
        if s.unknown_labels:
            print(f"{name}: ignoring labels outside {labels}: {s.unknown_labels}")

    cfg = HeadConfig(text_dim=train_set.text_dim, speech_dim=train_set.speech_dim, labels=labels,
                     conv_channels=a.conv_channels, gru_hidden=a.gru_hidden, gru_layers=a.gru_layers,
                     classifier_hidden=a.classifier_hidden, attn_dim=a.attn_dim, attn_heads=a.attn_heads,
                     coattn_blocks=a.coattn_blocks, gate_hidden=a.gate_hidden, gate_temperature=a.gate_temperature,
                     dropout=a.dropout, projection_dim=a.projection_dim, mixing=a.mixing,
                     experts=tuple(e.strip() for e in a.experts.split(",") if e.strip()), context=a.context)
    weights = LossWeights(a.w_mixture, a.w_experts, a.w_contrastive, a.w_kl, a.focal_gamma, a.contrastive_temperature)
    alpha = class_balanced_alpha(train_set.label_counts(), a.cb_beta) if a.class_balanced else None
    aug = Augmentation(a.prefix_probability, a.modality_dropout, a.pair_probability)
    donors = None
    if a.pair_probability > 0:
        donors = NeutralDonors.from_conversations(train_set.conversations, labels.index("neutral"),
                                                  any_speech=a.speech_donors == "any")
        print(donors.summary())
    model = MisterE(cfg)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {params} parameters; config {cfg.to_json()}")
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    rng = np.random.default_rng(a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    best, best_epoch, history = -1.0, -1, []
    started = time.time()
    for epoch in range(1, a.epochs + 1):
        model.train()
        sums: Dict[str, float] = {}
        steps = 0
        n_batches = (len(train_set.conversations) + a.batch_size - 1) // a.batch_size
        bar = tqdm(training_batches(train_set.conversations, a.batch_size, rng, aug, donors), total=n_batches,
                   desc=f"epoch {epoch}", disable=a.quiet, leave=False)
        for batch in bar:
            out = model.run(*batch.inputs())
            losses = mister_e_loss(out, model, batch.labels, batch.text_mask, batch.speech_mask, batch.valid,
                                   weights, alpha,
                                   *((None, None) if a.donor_expert_loss else (batch.text_donated, batch.speech_donated)))
            opt.zero_grad()
            losses["total"].backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            opt.step()
            for k, v in losses.items():
                sums[k] = sums.get(k, 0.0) + float(v)
            steps += 1
            bar.set_postfix(loss=f"{sums['total'] / steps:.4f}")
        result = evaluate(model, dev_set.conversations, labels)
        score = selection_score(result, a.select)
        row = {"epoch": epoch, **{f"loss_{k}": round(v / max(1, steps), 5) for k, v in sums.items()},
               "dev_full_wf1": result["full"]["mixture"]["weighted_f1"],
               "dev_prefix_wf1": result["prefix"]["mixture"]["weighted_f1"],
               "dev_experts_full_wf1": {e: result["full"][e]["weighted_f1"] for e in ("speech", "text", "cross_modal")},
               "seconds": round(time.time() - started, 1)}
        history.append(row)
        improved = score > best or a.select == "last"
        print(f"epoch {epoch}: loss {row['loss_total']:.4f}  dev WF1 full {row['dev_full_wf1']:.2f} "
              f"prefix {row['dev_prefix_wf1']:.2f}  experts {row['dev_experts_full_wf1']}"
              f"{'  *' if improved else ''}", flush=True)
        if improved:
            best, best_epoch = score, epoch
            torch.save({"config": cfg.to_dict(), "model": model.state_dict(), "epoch": epoch,
                        "text_encoder": train_set.text_encoder, "speech_encoder": train_set.speech_encoder},
                       a.out / "best.pt")
        elif epoch - best_epoch >= a.patience:
            print(f"early stop: no dev improvement for {a.patience} epochs")
            break

    state = torch.load(a.out / "best.pt")
    model.load_state_dict(state["model"])
    model.eval()
    dev_result = evaluate(model, dev_set.conversations, labels)
    report = {"best_epoch": best_epoch, "select": a.select, "seed": a.seed, "parameters": params,
              "config": cfg.to_dict(), "loss_weights": weights.__dict__, "class_balanced": a.class_balanced,
              "donor_expert_loss": a.donor_expert_loss, "speech_donors": a.speech_donors, "pairing_donors": donors.summary() if donors else None,
              "augmentation": aug.__dict__, "train": train_set.summary(), "dev": dev_result,
              "history": history, "text_encoder": train_set.text_encoder, "speech_encoder": train_set.speech_encoder}
    figures = headline(dev_result, a.eval_name)
    if a.test:
        test_set = load_embeddings(a.test, labels)
        check_same_encoders(train_set, test_set, "test")
        report["test"] = evaluate(model, test_set.conversations, labels)
        figures.update(headline(report["test"], a.eval_name.replace("dev", "test") if "dev" in a.eval_name
                                else a.eval_name + "_test"))
    report["evaluation"] = figures
    (a.out / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"best epoch {best_epoch}: {json.dumps(figures)}")
    if a.export:
        meta = ModelMetadata(text_encoder=train_set.text_encoder, speech_encoder=train_set.speech_encoder,
                             model_version=a.model_version, trained_on=a.trained_on or train_set.summary(),
                             evaluation=figures, context="bidirectional")
        path = export_onnx(model, meta, a.export, a.opset)
        print(f"exported {path} ({path.stat().st_size} bytes)")
    return report


if __name__ == "__main__":
    train(parse_args())
