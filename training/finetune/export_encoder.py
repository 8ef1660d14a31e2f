"""Exports a fine-tuned encoder (finetune_text.py's encoder.pt) as a directory text encoder
(docs/encoders.md, "Plugging in another ONNX encoder"):

    DIR/model.onnx      inputs input_ids, attention_mask, token_type_ids (int64 [batch, tokens]);
                        output 0 last_hidden_state [batch, tokens, 384]. Weights stored as fp16
                        with Cast nodes to fp32 (computation stays fp32), so the file is ~45 MB
                        instead of ~90 MB; --fp32 keeps them fp32.
    DIR/tokenizer.json  the base model's tokenizer, unchanged (the vocabulary is not fine-tuned)
    DIR/encoder.json    id, version, dim 384, mean pooling, max_length from tokenizer.json, per-window batching (measured faster than padded on 1 CPU thread; same embeddings),
                        and for an encoder fine-tuned with previous turns in its input, context_turns / context_tokens

    python3 training/finetune/export_encoder.py --checkpoint run/encoder.pt \
        --tokenizer all-minilm-l6-v2-tokenizer.json --out training/runs/text-encoder/mister-minilm-meld
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from finetune.bert import Bert, WordPieceTokenizer, config_from_state_dict  # noqa: E402


class TokenStates(nn.Module):
    """The serving contract: three int64 inputs, token states out."""

    def __init__(self, bert: Bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids, attention_mask, token_type_ids)


def weights_to_fp16(model: onnx.ModelProto, min_elements: int = 1024) -> int:
    """Stores every large float initializer as fp16 followed by a Cast back to fp32, in place.
    Returns how many initializers were converted."""
    graph = model.graph
    casts, kept, converted = [], [], 0
    for init in graph.initializer:
        size = int(np.prod(init.dims)) if init.dims else 1
        if init.data_type == TensorProto.FLOAT and size >= min_elements:
            half = numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name + "_fp16")
            kept.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT,
                                          name=init.name + "_to_fp32"))
            converted += 1
        else:
            kept.append(init)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    return converted


def export(checkpoint: Path, tokenizer: Path, out: Path, encoder_id: str, version: str, fp32: bool,
           context_turns: int = 0, context_tokens: int = 64, pooling: str = "mean",
           base: str = "all-MiniLM-L6-v2") -> Path:
    state = torch.load(checkpoint, map_location="cpu")
    bert = Bert(config_from_state_dict(state))  # 6 layers (MiniLM-L6) or 12 (bge-small)
    bert.load_state_dict(state)
    bert.eval()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "model.onnx"
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 2054, 102, 0]])
    mask = (ids != 0).long()
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(TokenStates(bert), (ids, mask, torch.zeros_like(ids)), str(path),
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                                    "last_hidden_state": axes},
                      opset_version=14, do_constant_folding=True)
    model = onnx.load(str(path))
    if not fp32:
        weights_to_fp16(model)
    model.doc_string = f"{encoder_id}@{version}: {base} fine-tuned on MELD train (training/finetune)"
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    shutil.copyfile(tokenizer, out / "tokenizer.json")
    manifest = {"id": encoder_id, "version": version, "dim": bert.config.hidden, "pooling": pooling,
                "max_length": WordPieceTokenizer(tokenizer).max_length, "prefix": "", "batching": "per_window"}
    if context_turns > 0:  # read each turn with the previous ones, as it was fine-tuned (--context-turns)
        manifest.update(context_turns=context_turns, context_tokens=context_tokens)
    (out / "encoder.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return path


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True, type=Path)
    p.add_argument("--tokenizer", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--id", default="mister-minilm-meld")
    p.add_argument("--version", default="1")
    p.add_argument("--fp32", action="store_true", help="keep fp32 weights (~90 MB)")
    p.add_argument("--context-turns", type=int, default=0, help="as fine-tuned (finetune_text.py --context-turns)")
    p.add_argument("--context-tokens", type=int, default=64, help="as fine-tuned (--context-length)")
    p.add_argument("--pooling", choices=["mean", "cls"], default="mean", help="as fine-tuned (finetune_text.py --pooling)")
    p.add_argument("--base", default="all-MiniLM-L6-v2", help="the base model's name, for the ONNX doc string")
    a = p.parse_args(argv)
    path = export(a.checkpoint, a.tokenizer, a.out, a.id, a.version, a.fp32, a.context_turns, a.context_tokens,
                  a.pooling, a.base)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB), {a.out / 'encoder.json'}, {a.out / 'tokenizer.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
