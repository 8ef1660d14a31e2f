"""Torch vs the Java serving encoder: embeds every text of an Avro file written by `mister encode`
(which carries the text it embedded) with the PyTorch BERT + Python WordPiece tokenizer, and
compares with the file's text_embedding (ONNX Runtime, Java, DJL tokenizer).

    python3 training/finetune/parity.py --avro dev.avro --tokenizer tokenizer.json \
        (--onnx-weights all-minilm-l6-v2.onnx | --checkpoint encoder.pt) [--min-cosine 0.9999]

Exit status 1 if any cosine is below --min-cosine. Identical token ids are implied by cosines of
~1.0 with max |diff| ~1e-6 on fp32 weights (one different token moves a short sentence visibly).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from finetune.bert import (Bert, WordPieceTokenizer, config_from_onnx, config_from_state_dict,  # noqa: E402
                           load_onnx_weights, pad_batch, sentence_embedding)
from finetune.finetune_text import segments, with_context  # noqa: E402
from mister_e.data import read_records  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--avro", required=True, type=Path)
    p.add_argument("--tokenizer", required=True, type=Path)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--onnx-weights", type=Path, help="the fp32 ONNX export to load into torch")
    src.add_argument("--checkpoint", type=Path, help="a fine-tuned encoder state_dict (finetune_text.py)")
    p.add_argument("--max-length", type=int, default=None, help="default: tokenizer.json's truncation")
    p.add_argument("--min-cosine", type=float, default=0.9999)
    p.add_argument("--pooling", choices=["mean", "cls"], default="mean", help="encoder.json pooling")
    p.add_argument("--context-turns", type=int, default=0,
                   help="previous turns read with each turn (the encoder's encoder.json context_turns)")
    p.add_argument("--context-tokens", type=int, default=64, help="encoder.json context_tokens")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", type=Path)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    tok = WordPieceTokenizer(a.tokenizer)
    if a.onnx_weights:
        model = Bert(config_from_onnx(a.onnx_weights))
        load_onnx_weights(model, a.onnx_weights)
    else:
        state = torch.load(a.checkpoint, map_location="cpu")
        model = Bert(config_from_state_dict(state))
        model.load_state_dict(state)
    model.eval()
    texts, java, seqs = [], [], []
    earlier = {}  # conversation -> its texts so far, in seq order (the file is in conversation order)
    for r in sorted(read_records([a.avro]), key=lambda r: (r["conversation_id"], r["seq"])):
        if r.get("text_embedding") is not None:
            texts.append(r["text"])
            java.append(np.asarray(r["text_embedding"], dtype=np.float32))
            before = earlier.setdefault(r["conversation_id"], [])
            turn = tok.encode(r["text"], a.max_length)
            previous = [tok.encode(t, a.context_tokens)
                        for t in before[max(0, len(before) - a.context_turns):][::-1]] if a.context_turns else []
            seqs.append(with_context(turn, previous, tok.sep_id, a.context_tokens))
            before.append(r["text"])
    java = np.stack(java)
    ours = []
    with torch.no_grad():
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for s in range(0, len(order), 64):
            idx = order[s:s + 64]
            ids, mask = pad_batch([seqs[i] for i in idx])
            types, pooled = segments(ids, mask, tok.sep_id)
            e = sentence_embedding(model(ids, mask, types), pooled, a.pooling).numpy()
            ours.extend(zip(idx, e))
    ours = np.stack([e for _, e in sorted(ours, key=lambda x: x[0])])
    cos = (ours * java).sum(1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(java, axis=1))
    worst = int(cos.argmin())
    report = {"utterances": len(texts), "min_cosine": float(cos.min()), "mean_cosine": float(cos.mean()),
              "max_abs_diff": float(np.abs(ours - java).max()), "below_threshold": int((cos < a.min_cosine).sum()),
              "worst_text": texts[worst]}
    print(json.dumps(report, ensure_ascii=False))
    if a.json:
        a.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report["below_threshold"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
