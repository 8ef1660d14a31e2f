"""MiSTER-E training losses: focal loss (mixture and each expert), supervised contrastive loss between
paired speech/text projections, symmetric KL between experts' predictions.

Every loss is averaged over the turns it applies to; a loss with no applicable turn in a batch is 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Sequence

import torch
from torch import Tensor
import torch.nn.functional as F

from .model import EXPERTS, HeadOutput


@dataclass
class LossWeights:
    """Weights of the combined objective (defaults are this project's; see docs/training.md)."""

    mixture: float = 1.0
    experts: float = 0.5        # each expert's focal loss, on turns where that expert is available
    contrastive: float = 0.1
    kl: float = 0.05
    focal_gamma: float = 3.0    # paper: gamma 3
    contrastive_temperature: float = 0.1


def focal_loss(logits: Tensor, target: Tensor, weight: Tensor, gamma: float,
               alpha: Optional[Tensor] = None) -> Tensor:
    """Mean focal loss over turns with weight > 0. logits [N, C]; target [N] (>= 0 where weight > 0)."""
    keep = weight > 0
    if not bool(keep.any()):
        return logits.sum() * 0.0
    logits, target, weight = logits[keep], target[keep], weight[keep]
    log_p = F.log_softmax(logits, dim=-1).gather(1, target.unsqueeze(1)).squeeze(1)
    loss = -((1.0 - log_p.exp()).clamp_min(0.0) ** gamma) * log_p
    if alpha is not None:
        loss = loss * alpha[target]
    return (loss * weight).sum() / weight.sum()


def class_balanced_alpha(counts: Sequence[int], beta: float = 0.999) -> Tensor:
    """Cui et al. (2019) effective-number weights, normalised to mean 1 over the classes."""
    counts_t = torch.tensor([max(1, c) for c in counts], dtype=torch.float32)
    w = (1.0 - beta) / (1.0 - torch.pow(torch.tensor(beta), counts_t))
    return w * (len(counts) / w.sum())


def supervised_contrastive(speech_z: Tensor, text_z: Tensor, labels: Tensor, temperature: float) -> Tensor:
    """Cross-modal supervised contrastive loss over paired turns (both modalities present).

    Anchors of one modality are pulled towards every projection of the *other* modality with the same
    label (its own pair included) and pushed from the rest; symmetric in the two directions.
    speech_z, text_z: [N, P] (L2-normalised); labels [N].
    """
    if speech_z.shape[0] < 2:
        return speech_z.sum() * 0.0
    sim = speech_z @ text_z.t() / temperature                       # [N, N]
    positive = (labels.unsqueeze(0) == labels.unsqueeze(1)).float()

    def one_direction(s: Tensor) -> Tensor:
        log_prob = s - torch.logsumexp(s, dim=1, keepdim=True)
        return -((log_prob * positive).sum(1) / positive.sum(1)).mean()

    return 0.5 * (one_direction(sim) + one_direction(sim.t()))


def symmetric_kl(expert_logits: Tensor, available: Tensor) -> Tensor:
    """Mean symmetric KL between every pair of available experts. expert_logits [N, 3, C]; available [N, 3]."""
    log_p = F.log_softmax(expert_logits, dim=-1)
    p = log_p.exp()
    total, count = expert_logits.sum() * 0.0, expert_logits.new_zeros(())
    for i in range(3):
        for j in range(i + 1, 3):
            both = available[:, i] * available[:, j]
            kl_ij = (p[:, i] * (log_p[:, i] - log_p[:, j])).sum(-1)
            kl_ji = (p[:, j] * (log_p[:, j] - log_p[:, i])).sum(-1)
            total = total + (0.5 * (kl_ij + kl_ji) * both).sum()
            count = count + both.sum()
    return total / count.clamp_min(1.0)


def mister_e_loss(out: HeadOutput, model, labels: Tensor, text_mask: Tensor, speech_mask: Tensor,
                  valid: Tensor, w: LossWeights, alpha: Optional[Tensor] = None,
                  text_donated: Optional[Tensor] = None, speech_donated: Optional[Tensor] = None) -> Dict[str, Tensor]:
    """The combined objective. labels [B, T] with -1 where a turn has no (usable) gold label.

    ``text_donated`` / ``speech_donated`` [B, T] mark a modality a paired-modality donor supplied
    (data.NeutralDonors): the turn's label belongs to the other modality, so that expert is not
    trained (focal, KL) on it; the mixture, the gate, the cross-modal expert and SupCon see the pair."""
    b, t, c = out.mixture_logits.shape
    labelled = ((labels >= 0).float() * valid).reshape(-1)
    target = labels.clamp_min(0).reshape(-1)
    text_p = (text_mask * valid).reshape(-1)
    speech_p = (speech_mask * valid).reshape(-1)
    available = torch.stack([speech_p, text_p, torch.ones_like(text_p)], dim=-1)   # same rule as the gate
    experts_used = getattr(getattr(model, "cfg", None), "experts", EXPERTS)
    if len(experts_used) < len(EXPERTS):
        # Ablation: an excluded expert is neither trained nor pulls the kept ones through the KL.
        available = available * torch.tensor([float(e in experts_used) for e in EXPERTS])
    expert_logits = out.expert_logits.reshape(-1, 3, c)
    trained = available
    if text_donated is not None or speech_donated is not None:
        sd = speech_donated.reshape(-1) if speech_donated is not None else torch.zeros_like(text_p)
        td = text_donated.reshape(-1) if text_donated is not None else torch.zeros_like(text_p)
        trained = available * torch.stack([1 - sd, 1 - td, torch.ones_like(td)], dim=-1)

    mixture = focal_loss(out.mixture_logits.reshape(-1, c), target, labelled, w.focal_gamma, alpha)
    experts = sum(focal_loss(expert_logits[:, e], target, labelled * trained[:, e], w.focal_gamma, alpha)
                  for e in range(3)) / 3.0
    # The KL needs no label: it applies to every real turn where both experts are available.
    kl = symmetric_kl(expert_logits, trained * valid.reshape(-1, 1)) if w.kl > 0 else mixture * 0.0
    paired = (labelled * text_p * speech_p) > 0
    # SupCon aligns the speech and text contexts; it only means something when both experts are used.
    both_contexts = "speech" in experts_used and "text" in experts_used
    if w.contrastive > 0 and both_contexts and int(paired.sum()) >= 2:
        s_z = F.normalize(model.speech_projection(out.speech_context.reshape(b * t, -1)[paired]), dim=-1)
        t_z = F.normalize(model.text_projection(out.text_context.reshape(b * t, -1)[paired]), dim=-1)
        contrastive = supervised_contrastive(s_z, t_z, target[paired], w.contrastive_temperature)
    else:
        contrastive = mixture * 0.0
    total = w.mixture * mixture + w.experts * experts + w.contrastive * contrastive + w.kl * kl
    return {"total": total, "mixture": mixture.detach(), "experts": experts.detach(),
            "contrastive": contrastive.detach(), "kl": kl.detach()}
