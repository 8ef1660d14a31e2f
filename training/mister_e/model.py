"""The MiSTER-E head in PyTorch, written so that it exports to ONNX with dynamic batch and turns.

Shapes: B conversations, T turns (padding at the end), Dt / Ds embedding dims, C classes.
Every size is a hyper-parameter in :class:`HeadConfig`.

Masking rules (the contract the processor relies on):
* padding (valid = 0) never influences a real turn: inputs are zeroed before the convolutions, the
  backward GRU runs over each conversation reversed *within its own length*, and attention keys
  exclude padding. A conversation scores the same alone or batched with a longer one.
* an absent modality (mask = 0) gets gate weight exactly 0 (its gate logit is masked, the rest
  renormalised); the cross-modal expert masks absent keys and stays finite when a turn has neither.

Ablation switches (HeadConfig ``mixing``, ``experts``, ``context``; defaults = the full model): the
outputs keep the contract's shapes whatever they are, so every variant exports and can be served.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

import torch
from torch import Tensor, nn
import torch.nn.functional as F

# Large negative used instead of -inf so that an all-masked row stays finite (exp underflows to 0).
_MASKED = -1.0e9

EXPERTS = ("speech", "text", "cross_modal")
MIXINGS = ("gate", "uniform")
CONTEXTS = ("full", "none")


@dataclass
class HeadConfig:
    """Every size of the head; stored in checkpoints so a model can be rebuilt exactly."""

    text_dim: int = 384
    speech_dim: int = 88
    labels: List[str] = field(default_factory=lambda: [
        "neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear"])
    conv_channels: int = 128          # channels of each of the three Conv1d (kernels 1/3/5)
    conv_kernels: Tuple[int, ...] = (1, 3, 5)
    gru_hidden: int = 128             # per direction; context output is 2 * gru_hidden
    gru_layers: int = 2
    classifier_hidden: int = 128      # hidden width of each expert's classifier MLP
    attn_dim: int = 128               # width of the cross-modal co-attention
    attn_heads: int = 4
    coattn_blocks: int = 1
    gate_hidden: int = 10             # paper: Linear(3C -> 10) -> ReLU -> Linear(10 -> 3)
    gate_temperature: float = 2.0     # paper: softmax with temperature 2
    dropout: float = 0.3
    projection_dim: int = 64          # contrastive projection of each modality's context
    # Ablation switches (issue #6); the defaults are the full model, and checkpoints written before
    # these fields existed load with them.
    mixing: str = "gate"              # "gate" (learned) | "uniform" (equal weight over available experts)
    experts: Tuple[str, ...] = EXPERTS  # experts the mixture may use; the others always weigh 0
    context: str = "full"             # "full" (conv k=1/3/5 + bi-GRU) | "none" (conv k=1 + ReLU: per turn)

    def __post_init__(self):
        self.experts = tuple(self.experts)
        if self.mixing not in MIXINGS:
            raise ValueError(f"mixing must be one of {MIXINGS}, not {self.mixing!r}")
        if self.context not in CONTEXTS:
            raise ValueError(f"context must be one of {CONTEXTS}, not {self.context!r}")
        unknown = [e for e in self.experts if e not in EXPERTS]
        if unknown or not self.experts or len(set(self.experts)) != len(self.experts):
            raise ValueError(f"experts must be a non-empty subset of {EXPERTS}, not {self.experts!r}")
        # A canonical order, so configs compare and serialise the same whatever order was given.
        self.experts = tuple(e for e in EXPERTS if e in self.experts)

    @property
    def num_classes(self) -> int:
        return len(self.labels)

    def to_dict(self) -> Dict:
        d = dataclasses.asdict(self)
        d["conv_kernels"] = list(self.conv_kernels)
        d["experts"] = list(self.experts)
        return d

    @staticmethod
    def from_dict(d: Dict) -> "HeadConfig":
        d = dict(d)
        if "conv_kernels" in d:
            d["conv_kernels"] = tuple(d["conv_kernels"])
        if "experts" in d:
            d["experts"] = tuple(d["experts"])
        return HeadConfig(**d)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)


def reverse_within_length(x: Tensor, lengths: Tensor) -> Tensor:
    """Reverses each sequence's first ``lengths[b]`` steps, leaving the padding after them in place.

    x: [B, T, D]; lengths: [B] (long). Used for the backward GRU direction so that trailing padding is
    read *after* the real turns, never before them. Applying it twice is the identity.
    """
    t = torch.arange(x.shape[1], device=x.device).unsqueeze(0)          # [1, T]
    n = lengths.unsqueeze(1)                                              # [B, 1]
    idx = torch.where(t < n, n - 1 - t, t)                                # [B, T]
    return torch.gather(x, 1, idx.unsqueeze(-1).expand(-1, -1, x.shape[2]))


class MaskedBiGRU(nn.Module):
    """Multi-layer bidirectional GRU whose backward direction ignores trailing padding.

    Each layer runs a forward GRU and a backward GRU (over the sequence reversed within its length)
    and concatenates them; padding is therefore always read after the real turns in both directions.
    """

    def __init__(self, input_size: int, hidden: int, layers: int, dropout: float):
        super().__init__()
        self.forward_layers = nn.ModuleList()
        self.backward_layers = nn.ModuleList()
        size = input_size
        for _ in range(layers):
            self.forward_layers.append(nn.GRU(size, hidden, batch_first=True))
            self.backward_layers.append(nn.GRU(size, hidden, batch_first=True))
            size = 2 * hidden
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: Tensor, lengths: Tensor, valid: Tensor) -> Tensor:
        for i, (fwd, bwd) in enumerate(zip(self.forward_layers, self.backward_layers)):
            if i > 0:
                x = self.dropout(x)
            out_f, _ = fwd(x)
            out_b, _ = bwd(reverse_within_length(x, lengths))
            out_b = reverse_within_length(out_b, lengths)
            x = torch.cat([out_f, out_b], dim=-1) * valid.unsqueeze(-1)
        return x


class ContextModule(nn.Module):
    """Per-modality conversation context: Conv1d k=1/3/5 (same padding) summed -> ReLU -> bi-GRU + linear skip.

    With ``context="none"`` (ablation) only the kernel-1 convolution and the ReLU remain: each turn is
    encoded from its own embedding alone (output width ``conv_channels``)."""

    def __init__(self, in_dim: int, cfg: HeadConfig):
        super().__init__()
        self.contextual = cfg.context == "full"
        kernels = cfg.conv_kernels if self.contextual else (1,)
        self.convs = nn.ModuleList(
            nn.Conv1d(in_dim, cfg.conv_channels, k, padding=k // 2) for k in kernels)
        self.dropout = nn.Dropout(cfg.dropout)
        if self.contextual:
            self.gru = MaskedBiGRU(cfg.conv_channels, cfg.gru_hidden, cfg.gru_layers, cfg.dropout)
            self.skip = nn.Linear(cfg.conv_channels, 2 * cfg.gru_hidden)
            self.out_dim = 2 * cfg.gru_hidden
        else:
            self.out_dim = cfg.conv_channels

    def forward(self, x: Tensor, present: Tensor, valid: Tensor, lengths: Tensor) -> Tensor:
        # Absent turns and padding are zero in, so the "same" zero padding of the convolutions sees
        # exactly what it would see if the conversation ended at its last real turn.
        x = (x * present.unsqueeze(-1)).transpose(1, 2)                    # [B, D, T]
        h = self.convs[0](x)
        for conv in self.convs[1:]:
            h = h + conv(x)
        h = torch.relu(h).transpose(1, 2) * valid.unsqueeze(-1)            # [B, T, Cc]
        if not self.contextual:
            return h
        h = self.dropout(h)
        return (self.gru(h, lengths, valid) + self.skip(h)) * valid.unsqueeze(-1)


class Classifier(nn.Module):
    """An expert's classifier: dropout -> Linear -> ReLU -> dropout -> Linear(C)."""

    def __init__(self, in_dim: int, hidden: int, classes: int, dropout: float):
        super().__init__()
        self.net = nn.Sequential(nn.Dropout(dropout), nn.Linear(in_dim, hidden), nn.ReLU(),
                                 nn.Dropout(dropout), nn.Linear(hidden, classes))

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


class MaskedAttention(nn.Module):
    """Multi-head attention whose masked keys get exactly zero weight; a query with no valid key
    attends to nothing (output 0, finite) instead of producing NaN."""

    def __init__(self, dim: int, heads: int, dropout: float):
        super().__init__()
        if dim % heads != 0:
            raise ValueError(f"attn_dim {dim} is not divisible by attn_heads {heads}")
        self.heads = heads
        self.head_dim = dim // heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.o = nn.Linear(dim, dim)
        self.dropout = nn.Dropout(dropout)

    def _split(self, x: Tensor) -> Tensor:
        b, t, _ = x.shape
        return x.reshape(b, t, self.heads, self.head_dim).transpose(1, 2)   # [B, H, T, hd]

    def forward(self, query: Tensor, key: Tensor, key_mask: Tensor) -> Tensor:
        q, k, v = self._split(self.q(query)), self._split(self.k(key)), self._split(self.v(key))
        scores = torch.matmul(q, k.transpose(-1, -2)) / (self.head_dim ** 0.5)   # [B, H, Tq, Tk]
        keep = key_mask.unsqueeze(1).unsqueeze(1)                                 # [B, 1, 1, Tk]
        scores = scores.masked_fill(keep < 0.5, _MASKED)
        weights = torch.softmax(scores, dim=-1) * keep      # all-masked row -> all zeros
        out = torch.matmul(self.dropout(weights), v)                             # [B, H, Tq, hd]
        b, _, t, _ = out.shape
        return self.o(out.transpose(1, 2).reshape(b, t, self.heads * self.head_dim))


class CoAttentionBlock(nn.Module):
    """Speech attends to text and text attends to speech, then each attends to itself (residual + LayerNorm)."""

    def __init__(self, dim: int, heads: int, dropout: float):
        super().__init__()
        self.s2t = MaskedAttention(dim, heads, dropout)
        self.t2s = MaskedAttention(dim, heads, dropout)
        self.s_self = MaskedAttention(dim, heads, dropout)
        self.t_self = MaskedAttention(dim, heads, dropout)
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(4))
        self.dropout = nn.Dropout(dropout)

    def forward(self, s: Tensor, t: Tensor, s_keys: Tensor, t_keys: Tensor) -> Tuple[Tensor, Tensor]:
        s2 = self.norms[0](s + self.dropout(self.s2t(s, t, t_keys)))
        t2 = self.norms[1](t + self.dropout(self.t2s(t, s, s_keys)))
        s3 = self.norms[2](s2 + self.dropout(self.s_self(s2, s2, s_keys)))
        t3 = self.norms[3](t2 + self.dropout(self.t_self(t2, t2, t_keys)))
        return s3, t3


class CrossModalExpert(nn.Module):
    """Co-attention over the raw (pre-context) speech and text embeddings, concatenated and classified."""

    def __init__(self, cfg: HeadConfig):
        super().__init__()
        self.speech_in = nn.Linear(cfg.speech_dim, cfg.attn_dim)
        self.text_in = nn.Linear(cfg.text_dim, cfg.attn_dim)
        self.blocks = nn.ModuleList(
            CoAttentionBlock(cfg.attn_dim, cfg.attn_heads, cfg.dropout) for _ in range(cfg.coattn_blocks))
        self.classifier = Classifier(2 * cfg.attn_dim, cfg.classifier_hidden, cfg.num_classes, cfg.dropout)

    def forward(self, text: Tensor, speech: Tensor, text_keys: Tensor, speech_keys: Tensor,
                valid: Tensor) -> Tensor:
        # An absent modality enters as zeros; its turns are excluded as keys, so other turns' present
        # embeddings (and the turn's own other modality) carry the prediction.
        s = self.speech_in(speech * speech_keys.unsqueeze(-1))
        t = self.text_in(text * text_keys.unsqueeze(-1))
        for block in self.blocks:
            s, t = block(s, t, speech_keys, text_keys)
        joint = torch.cat([s, t], dim=-1) * valid.unsqueeze(-1)
        return self.classifier(joint)


class Gate(nn.Module):
    """Linear(3C -> hidden) -> ReLU -> Linear(hidden -> 3), masked softmax with temperature.

    With ``mixing="uniform"`` (ablation) the network is kept (checkpoints keep one layout) but unused:
    every available expert weighs the same."""

    def __init__(self, cfg: HeadConfig):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3 * cfg.num_classes, cfg.gate_hidden), nn.ReLU(),
                                 nn.Linear(cfg.gate_hidden, 3))
        self.temperature = cfg.gate_temperature
        self.uniform = cfg.mixing == "uniform"

    def forward(self, expert_logits: Tensor, available: Tensor) -> Tensor:
        """expert_logits: [B, T, 3, C]; available: [B, T, 3] (1 = expert may be used)."""
        if self.uniform:
            return available / available.sum(dim=-1, keepdim=True).clamp_min(1e-12)
        b, t, e, c = expert_logits.shape
        logits = self.net(expert_logits.reshape(b, t, e * c)) / self.temperature
        logits = logits.masked_fill(available < 0.5, _MASKED)
        weights = torch.softmax(logits, dim=-1) * available
        # Renormalise after zeroing so an absent expert's weight is exactly 0 and the rest sum to 1.
        return weights / weights.sum(dim=-1, keepdim=True).clamp_min(1e-12)


@dataclass
class HeadOutput:
    probs: Tensor          # [B, T, C]
    gate: Tensor           # [B, T, 3]
    expert_probs: Tensor   # [B, T, 3, C]
    mixture_logits: Tensor  # [B, T, C]
    expert_logits: Tensor  # [B, T, 3, C]
    speech_context: Tensor  # [B, T, 2H] (for the contrastive loss)
    text_context: Tensor   # [B, T, 2H]


class MisterE(nn.Module):
    """The MiSTER-E head: speech expert, text expert, cross-modal expert and the gate."""

    def __init__(self, cfg: HeadConfig):
        super().__init__()
        self.cfg = cfg
        self.speech_context = ContextModule(cfg.speech_dim, cfg)
        self.text_context = ContextModule(cfg.text_dim, cfg)
        ctx = self.speech_context.out_dim
        self.speech_expert = Classifier(ctx, cfg.classifier_hidden, cfg.num_classes, cfg.dropout)
        self.text_expert = Classifier(ctx, cfg.classifier_hidden, cfg.num_classes, cfg.dropout)
        self.cross_expert = CrossModalExpert(cfg)
        self.gate = Gate(cfg)
        # Projections for the supervised contrastive loss (training only; not exported).
        self.speech_projection = nn.Linear(ctx, cfg.projection_dim)
        self.text_projection = nn.Linear(ctx, cfg.projection_dim)

    def run(self, text: Tensor, speech: Tensor, text_mask: Tensor, speech_mask: Tensor,
            valid: Tensor) -> HeadOutput:
        text_present = text_mask * valid
        speech_present = speech_mask * valid
        lengths = valid.sum(dim=1).round().long()
        kept = self.cfg.experts
        # An excluded expert (ablation) is not computed: its logits are 0 (uniform expert_probs, a
        # constant input to the gate) and its weight is exactly 0, so it carries nothing into the result.
        s_ctx = self.speech_context(speech, speech_present, valid, lengths) if "speech" in kept else None
        t_ctx = self.text_context(text, text_present, valid, lengths) if "text" in kept else None
        c = self.cfg.num_classes
        # Built from both embedding inputs' shapes (not values: garbage in them stays out) so that an
        # exported variant that drops an expert still consumes every input of the contract (the ONNX
        # exporter prunes unused inputs, and the processor refuses a model without them).
        absent = (torch.zeros_like(text[..., :1]) + torch.zeros_like(speech[..., :1])).expand(-1, -1, c)
        expert_logits = torch.stack([
            self.speech_expert(s_ctx) if s_ctx is not None else absent,
            self.text_expert(t_ctx) if t_ctx is not None else absent,
            self.cross_expert(text, speech, text_present, speech_present, valid) if "cross_modal" in kept
            else absent,
        ], dim=2)                                                               # [B, T, 3, C]
        # The cross-modal expert is always available: it degrades gracefully to the present side
        # (and to the conversation's other turns), so every turn has at least one expert.
        available = torch.stack([speech_present, text_present, torch.ones_like(valid)], dim=-1)
        if len(kept) < len(EXPERTS):
            # A turn left with no kept expert (e.g. a speech-only turn when only the text expert is
            # kept) gets all-zero weights: mixture 0, uniform probs.
            enabled = torch.tensor([float(e in kept) for e in EXPERTS])
            available = available * enabled
        if s_ctx is None:
            s_ctx = valid.unsqueeze(-1).expand(-1, -1, self.speech_context.out_dim) * 0.0
        if t_ctx is None:
            t_ctx = valid.unsqueeze(-1).expand(-1, -1, self.text_context.out_dim) * 0.0
        gate = self.gate(expert_logits, available)
        mixture = (gate.unsqueeze(-1) * expert_logits).sum(dim=2)
        return HeadOutput(
            probs=torch.softmax(mixture, dim=-1),
            gate=gate,
            expert_probs=torch.softmax(expert_logits, dim=-1),
            mixture_logits=mixture,
            expert_logits=expert_logits,
            speech_context=s_ctx,
            text_context=t_ctx,
        )

    def forward(self, text: Tensor, speech: Tensor, text_mask: Tensor, speech_mask: Tensor,
                valid: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """The exported signature: (probs, gate, expert_probs)."""
        out = self.run(text, speech, text_mask, speech_mask, valid)
        return out.probs, out.gate, out.expert_probs
