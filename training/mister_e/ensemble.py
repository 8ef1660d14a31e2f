"""An ensemble of heads trained with different seeds, served as one ONNX file.

Each head scores the same inputs; the ensemble's probabilities, gate weights and expert
probabilities are the means of the heads'. It exports exactly like a single head (same inputs,
outputs and metadata: docs/model-contract.md), so the processor serves it unchanged, at the cost of
one head call per member.
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import Tensor, nn

from .model import HeadOutput, MisterE


class SeedEnsemble(nn.Module):
    """Mean of several :class:`MisterE` heads of one configuration (sizes, labels, encoder dims)."""

    def __init__(self, heads: Sequence[MisterE]):
        super().__init__()
        if not heads:
            raise ValueError("an ensemble needs at least one head")
        first = heads[0].cfg
        for h in heads[1:]:
            if (h.cfg.labels, h.cfg.text_dim, h.cfg.speech_dim) != (first.labels, first.text_dim, first.speech_dim):
                raise ValueError("ensemble members must share labels and embedding dimensions")
        self.heads = nn.ModuleList(heads)
        self.cfg = first

    def run(self, text: Tensor, speech: Tensor, text_mask: Tensor, speech_mask: Tensor, valid: Tensor) -> HeadOutput:
        outs = [h.run(text, speech, text_mask, speech_mask, valid) for h in self.heads]

        def mean(name: str) -> Tensor:
            return torch.stack([getattr(o, name) for o in outs]).mean(dim=0)

        probs = mean("probs")
        # Logits whose softmax is the mean probability (for losses or calibration; not exported).
        return HeadOutput(probs=probs, gate=mean("gate"), expert_probs=mean("expert_probs"),
                          mixture_logits=torch.log(probs.clamp_min(1e-12)), expert_logits=mean("expert_logits"),
                          speech_context=mean("speech_context"), text_context=mean("text_context"))

    def forward(self, text: Tensor, speech: Tensor, text_mask: Tensor, speech_mask: Tensor, valid: Tensor):
        """The exported signature: (probs, gate, expert_probs)."""
        out = self.run(text, speech, text_mask, speech_mask, valid)
        return out.probs, out.gate, out.expert_probs
