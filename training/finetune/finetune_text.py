"""Fine-tunes all-MiniLM-L6-v2 on MELD train, end to end with a small dialogue context model, so the
sentence embeddings become what a context model over the dialogue needs.

Per step a few whole dialogues (up to --batch-utterances utterances): every utterance goes through
the BERT, is mean-pooled and L2-normalised exactly like the serving encoder (finetune/bert.py),
then a 1-layer bidirectional GRU over each dialogue feeds a classifier (the context loss), and a
linear classifier on the embedding alone adds an auxiliary loss (weight --aux-weight) so each
embedding stays informative on its own (the MiSTER-E head also sees turns with little context).
Only the encoder is kept: the MiSTER-E head is trained afterwards on embeddings that the Java
encoder computes from the exported ONNX file.

The word/position embeddings and the lower --frozen-layers (3 of 6) stay as pretrained and their
token states are computed once (FrozenLower); only the top layers are trained. On 2 shared cores
full fine-tuning measured ~4 s per 32-utterance step (26 min per epoch); this makes a 3-epoch run
fit in ~20 minutes.

Selection: dev weighted F1 of the context classifier after each epoch (MELD dev only; MELD test is
never read). Fixed seeds.

    python3 training/finetune/finetune_text.py --onnx-weights all-minilm-l6-v2.onnx \
        --tokenizer all-minilm-l6-v2-tokenizer.json --train train_sent_emo.csv --dev dev_sent_emo.csv \
        --out training/runs/finetune
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path
from typing import List, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from finetune.bert import Bert, WordPieceTokenizer, config_from_onnx, load_onnx_weights, pad_batch, sentence_embedding  # noqa: E402
from mister_e.data import MELD_LABELS  # noqa: E402
from mister_e.metrics import classification_report  # noqa: E402

CHUNK = 8  # utterances per BERT call inside a batch (length-sorted)
Dialogue = Tuple[List[List[int]], List[int]]  # token ids per turn, label per turn (-1: none)


def read_meld(csv_path: Path, tok: WordPieceTokenizer, max_length: int, context_turns: int = 0,
              context_length: int = 64) -> List[Dialogue]:
    """Dialogues in file order, turns ordered by Utterance_ID; blank texts are dropped (absent).

    With context_turns > 0 each turn reads [CLS] turn [SEP] previous turns (latest first) [SEP]:
    the encoder attends to what was just said, but the embedding pools the turn's own segment only."""
    by_dialogue = {}
    with open(csv_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = row["Utterance"]
            if not text.strip():
                continue
            label = row["Emotion"].strip().lower()
            y = MELD_LABELS.index(label) if label in MELD_LABELS else -1
            by_dialogue.setdefault(int(row["Dialogue_ID"]), []).append(
                (int(row["Utterance_ID"]), tok.encode(text, max_length), y))
    out = []
    for d in by_dialogue.values():
        d.sort(key=lambda x: x[0])
        seqs = [ids for _, ids, _ in d]
        if context_turns > 0:
            seqs = [with_context(seqs[i], seqs[max(0, i - context_turns):i][::-1], tok.sep_id, context_length)
                    for i in range(len(seqs))]
        out.append((seqs, [y for _, _, y in d]))
    return out


def with_context(turn: List[int], previous: List[List[int]], sep_id: int, context_length: int) -> List[int]:
    """turn ([CLS] .. [SEP]) followed by the previous turns' pieces, latest first, cut at context_length."""
    pieces: List[int] = []
    for p in previous:
        pieces.extend(p[1:-1])
    if not pieces:
        return turn
    return turn + pieces[: context_length - 1] + [sep_id]


def segments(ids: torch.Tensor, mask: torch.Tensor, sep_id: int):
    """token_type_ids (1 after the first [SEP]) and the first segment's mask, the one pooled."""
    after_first_sep = (torch.cumsum((ids == sep_id).long(), 1) - (ids == sep_id).long()) > 0
    types = after_first_sep.long() * mask
    return types, mask * (1 - types)


class ContextClassifier(nn.Module):
    """Embeddings of one batch of dialogues -> per-turn logits with and without context."""

    def __init__(self, dim: int = 384, hidden: int = 128, classes: int = 7, scale: float = 20.0):
        super().__init__()
        self.scale = scale  # L2-normalised 384-d vectors have ~0.05 per component; bring them to ~1
        self.gru = nn.GRU(dim, hidden, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(0.2)
        self.context_out = nn.Linear(2 * hidden + dim, classes)
        self.turn_out = nn.Linear(dim, classes)

    def forward(self, emb: torch.Tensor, lengths: List[int]):
        x = emb * self.scale
        seqs = list(torch.split(x, lengths))
        padded = nn.utils.rnn.pad_sequence(seqs, batch_first=True)
        packed = nn.utils.rnn.pack_padded_sequence(padded, torch.tensor(lengths), batch_first=True,
                                                   enforce_sorted=False)
        h, _ = self.gru(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True)
        h = torch.cat([h[i, :n] for i, n in enumerate(lengths)])
        context = self.context_out(self.dropout(torch.cat([h, x], -1)))
        return context, self.turn_out(self.dropout(x))


def batches(dialogues: List[Dialogue], max_utterances: int, rng: random.Random | None):
    order = list(range(len(dialogues)))
    if rng is not None:
        rng.shuffle(order)
    batch, count = [], 0
    for i in order:
        n = len(dialogues[i][0])
        if batch and count + n > max_utterances:
            yield batch
            batch, count = [], 0
        batch.append(dialogues[i])
        count += n
    if batch:
        yield batch


class FrozenLower:
    """Token states after the frozen lower layers, computed once per utterance (eval mode).

    Fine-tuning only the top layers on 2 shared cores: the frozen embeddings and lower layers give
    the same output every epoch, so they run once and training back-propagates through the top
    layers only (about 3x less work per step with 2 of 6 layers trained)."""

    def __init__(self, encoder: Bert, frozen_layers: int, sep_id: int, pooling: str = "mean"):
        self.encoder = encoder
        self.layers = frozen_layers
        self.sep_id = sep_id
        self.pooling = pooling
        self.cache = {}

    @torch.no_grad()
    def fill(self, dialogues: List[Dialogue]) -> None:
        was = self.encoder.training
        self.encoder.eval()
        seqs = sorted({tuple(ids) for d in dialogues for ids in d[0]} - set(self.cache), key=len)
        for s in range(0, len(seqs), 64):
            chunk = seqs[s:s + 64]
            ids, mask = pad_batch([list(c) for c in chunk])
            types, _ = segments(ids, mask, self.sep_id)
            states = self.encoder.lower(ids, mask, types, self.layers)
            for i, c in enumerate(chunk):
                self.cache[c] = states[i, : len(c)].clone()
        self.encoder.train(was)

    def embed(self, seqs: List[List[int]]) -> torch.Tensor:
        states = nn.utils.rnn.pad_sequence([self.cache[tuple(s)] for s in seqs], batch_first=True)
        ids, mask = pad_batch(seqs)
        _, pooled = segments(ids, mask, self.sep_id)
        return sentence_embedding(self.encoder.layers_from(states, mask, self.layers), pooled, self.pooling)


def run_batch(lower: FrozenLower, head: ContextClassifier, batch: List[Dialogue]):
    seqs = [ids for d in batch for ids in d[0]]
    labels = torch.tensor([y for d in batch for y in d[1]])
    # Dialogue order is needed for the context model, but padding every utterance to the batch's
    # longest wastes ~2/3 of the BERT's work (mean 14 tokens); so the BERT runs on chunks of
    # similar length and the embeddings are put back in dialogue order.
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    pieces = [lower.embed([seqs[i] for i in order[s:s + CHUNK]]) for s in range(0, len(order), CHUNK)]
    emb = torch.zeros(len(seqs), pieces[0].shape[1]).index_copy(0, torch.tensor(order), torch.cat(pieces))
    context, turn = head(emb, [len(d[0]) for d in batch])
    return context, turn, labels


def evaluate(lower: FrozenLower, head: ContextClassifier, dialogues: List[Dialogue], max_utterances: int):
    encoder = lower.encoder
    encoder.eval()
    head.eval()
    ctx_pred, turn_pred, gold = [], [], []
    with torch.no_grad():
        for b in batches(dialogues, max_utterances, None):
            c, t, y = run_batch(lower, head, b)
            ctx_pred.append(c.argmax(-1))
            turn_pred.append(t.argmax(-1))
            gold.append(y)
    y = torch.cat(gold).numpy()
    keep = y >= 0
    c = torch.cat(ctx_pred).numpy()[keep]
    t = torch.cat(turn_pred).numpy()[keep]
    y = y[keep]
    ctx = classification_report(y, c, MELD_LABELS)
    return {"context_weighted_f1": ctx["weighted_f1"], "context_macro_f1": ctx["macro_f1"],
            "context_accuracy": ctx["accuracy"],
            "turn_weighted_f1": classification_report(y, t, MELD_LABELS)["weighted_f1"]}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--onnx-weights", required=True, type=Path, help="fp32 all-MiniLM-L6-v2 ONNX export")
    p.add_argument("--tokenizer", required=True, type=Path)
    p.add_argument("--train", required=True, type=Path)
    p.add_argument("--dev", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--schedule-epochs", type=int, default=None,
                   help="epochs the learning-rate decay is planned over (default --epochs); "
                        "--epochs 2 --schedule-epochs 3 reproduces a 3-epoch run stopped after 2")
    p.add_argument("--lr", type=float, default=3e-5, help="encoder learning rate")
    p.add_argument("--head-lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=float, default=0.1, help="fraction of steps with linear warm-up")
    p.add_argument("--batch-utterances", type=int, default=32)
    p.add_argument("--max-length", type=int, default=64, help="tokens per utterance while training")
    p.add_argument("--frozen-layers", type=int, default=3, help="lower BERT layers kept as pretrained (of 6 for MiniLM-L6, 12 for bge-small)")
    p.add_argument("--aux-weight", type=float, default=0.5)
    p.add_argument("--label-smoothing", type=float, default=0.0, help="cross-entropy label smoothing (0: none)")
    p.add_argument("--pooling", choices=["mean", "cls"], default="mean",
                   help="as the base model was trained: mean (MiniLM, E5) or cls (BGE)")
    p.add_argument("--context-turns", type=int, default=0,
                   help="previous turns in each turn's input (second segment, latest first; 0: the turn alone)")
    p.add_argument("--context-length", type=int, default=64, help="tokens of previous turns at most")
    p.add_argument("--resume", type=Path, help="a previous --out: continue from its encoder.pt/context_head.pt")
    p.add_argument("--start-epoch", type=int, default=1, help="with --resume: first epoch to run (schedule position)")
    p.add_argument("--seed", type=int, default=13)
    # measured on 2 shared, busy cores: 0.59 s/step with 1 thread, 4.7 s/step with 2 (threads wait
    # for each other when other processes hold the cores); use 2 only on a quiet machine
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--max-minutes", type=float, default=25.0, help="stop after the epoch that passes this")
    a = p.parse_args(argv)

    torch.set_num_threads(a.threads)
    random.seed(a.seed)
    np.random.seed(a.seed)
    torch.manual_seed(a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    tok = WordPieceTokenizer(a.tokenizer)
    train = read_meld(a.train, tok, a.max_length, a.context_turns, a.context_length)
    dev = read_meld(a.dev, tok, a.max_length, a.context_turns, a.context_length)
    encoder = Bert(config_from_onnx(a.onnx_weights))
    load_onnx_weights(encoder, a.onnx_weights)
    head = ContextClassifier()
    # the 30522 x 384 word embeddings stay as pretrained: half the parameters, little to gain on
    # 10k utterances, and the optimiser step over them costs time on 2 cores
    encoder.word.weight.requires_grad_(False)
    for q in list(encoder.word.parameters()) + list(encoder.position.parameters()) + \
            list(encoder.token_type.parameters()) + list(encoder.emb_norm.parameters()):
        q.requires_grad_(False)
    for layer in encoder.encoder[:a.frozen_layers]:
        for q in layer.parameters():
            q.requires_grad_(False)
    lower = FrozenLower(encoder, a.frozen_layers, tok.sep_id, a.pooling)
    t0 = time.time()
    lower.fill(train + dev)
    print(f"frozen embeddings + {a.frozen_layers} layers computed for {len(lower.cache)} utterances "
          f"in {time.time() - t0:.0f} s", flush=True)
    steps_per_epoch = sum(1 for _ in batches(train, a.batch_utterances, random.Random(0)))
    total = steps_per_epoch * (a.schedule_epochs or a.epochs)
    warm = max(1, int(a.warmup * total))
    opt = torch.optim.AdamW([{"params": [q for q in encoder.parameters() if q.requires_grad], "lr": a.lr, "weight_decay": 0.01},
                             {"params": head.parameters(), "lr": a.head_lr, "weight_decay": 1e-4}])
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    if a.resume:
        encoder.load_state_dict(torch.load(a.resume / "encoder.pt"))
        head.load_state_dict(torch.load(a.resume / "context_head.pt"))  # frozen layers: unchanged, cache valid
        for _ in range((a.start_epoch - 1) * steps_per_epoch):
            sched.step()
    rng = random.Random(a.seed + a.start_epoch - 1)
    history = []
    start = time.time()
    print(f"train {len(train)} dialogues, dev {len(dev)}; {steps_per_epoch} steps/epoch", flush=True)
    best = -1.0
    for epoch in range(a.start_epoch, a.epochs + 1):
        encoder.train()
        head.train()
        seen, loss_sum = 0, 0.0
        for step, b in enumerate(batches(train, a.batch_utterances, rng)):
            context, turn, y = run_batch(lower, head, b)
            loss = F.cross_entropy(context, y, ignore_index=-1, label_smoothing=a.label_smoothing) + \
                a.aux_weight * F.cross_entropy(turn, y, ignore_index=-1, label_smoothing=a.label_smoothing)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([q for g in opt.param_groups for q in g["params"]], 1.0)
            opt.step()
            sched.step()
            seen += len(y)
            loss_sum += loss.item() * len(y)
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{steps_per_epoch} loss {loss_sum / seen:.4f} "
                      f"({(time.time() - start) / 60:.1f} min)", flush=True)
        figures = evaluate(lower, head, dev, 64)
        figures.update(epoch=epoch, train_loss=loss_sum / seen, minutes=(time.time() - start) / 60)
        history.append(figures)
        print(json.dumps(figures), flush=True)
        if figures["context_weighted_f1"] > best:
            best = figures["context_weighted_f1"]
            torch.save(encoder.state_dict(), a.out / "encoder.pt")
            torch.save(head.state_dict(), a.out / "context_head.pt")
        if (time.time() - start) / 60 > a.max_minutes:
            print(f"stopping: {a.max_minutes} minutes passed", flush=True)
            break
    report = {"args": {k: str(v) for k, v in vars(a).items()}, "history": history,
              "best_dev_context_weighted_f1": best}
    (a.out / "finetune-report.json").write_text(json.dumps(report, indent=1))
    print(f"best dev context weighted F1 {best:.2f}; encoder in {a.out / 'encoder.pt'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
