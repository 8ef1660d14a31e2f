"""Specification of the training losses."""
import os
import sys
import unittest

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mister_e.losses import (LossWeights, class_balanced_alpha, focal_loss, mister_e_loss,  # noqa: E402
                             supervised_contrastive, symmetric_kl)
from mister_e.model import MisterE  # noqa: E402
from test_model import conversation, tiny_config  # noqa: E402


class LossSpec(unittest.TestCase):

    def test_focal_loss_with_gamma_zero_is_cross_entropy(self):
        logits, target = torch.randn(10, 7), torch.randint(0, 7, (10,))
        torch.testing.assert_close(focal_loss(logits, target, torch.ones(10), gamma=0.0),
                                   F.cross_entropy(logits, target))

    def test_focal_loss_down_weights_easy_turns(self):
        easy = torch.tensor([[10.0, 0.0, 0.0]])
        hard = torch.tensor([[0.5, 0.0, 0.0]])
        t, w = torch.tensor([0]), torch.ones(1)
        ratio_focal = focal_loss(easy, t, w, 3.0) / focal_loss(hard, t, w, 3.0)
        ratio_ce = focal_loss(easy, t, w, 0.0) / focal_loss(hard, t, w, 0.0)
        self.assertLess(ratio_focal.item(), ratio_ce.item())

    def test_unlabelled_turns_do_not_count(self):
        logits = torch.randn(4, 3)
        w = torch.tensor([1.0, 1.0, 0.0, 0.0])
        torch.testing.assert_close(focal_loss(logits, torch.tensor([0, 1, 2, 2]), w, 3.0),
                                   focal_loss(logits[:2], torch.tensor([0, 1]), torch.ones(2), 3.0))

    def test_class_balanced_alpha_favours_rare_classes(self):
        alpha = class_balanced_alpha([4710, 271])
        self.assertGreater(alpha[1].item(), alpha[0].item())
        self.assertAlmostEqual(alpha.mean().item(), 1.0, places=5)

    def test_contrastive_loss_is_lower_when_pairs_agree_by_label(self):
        labels = torch.tensor([0, 0, 1, 1])
        aligned = F.normalize(torch.tensor([[1.0, 0], [1.0, 0.1], [0, 1.0], [0.1, 1.0]]), dim=-1)
        crossed = aligned[[2, 3, 0, 1]]
        good = supervised_contrastive(aligned, aligned, labels, 0.1)
        bad = supervised_contrastive(aligned, crossed, labels, 0.1)
        self.assertLess(good.item(), bad.item())

    def test_symmetric_kl_is_zero_for_agreeing_experts_and_ignores_unavailable_ones(self):
        same = torch.randn(5, 1, 4).repeat(1, 3, 1)
        self.assertAlmostEqual(symmetric_kl(same, torch.ones(5, 3)).item(), 0.0, places=6)
        different = same.clone()
        different[:, 0] = torch.randn(5, 4) * 5
        self.assertGreater(symmetric_kl(different, torch.ones(5, 3)).item(), 0.0)
        only_text_and_cross = torch.tensor([[0.0, 1.0, 1.0]]).repeat(5, 1)
        self.assertAlmostEqual(symmetric_kl(different, only_text_and_cross).item(), 0.0, places=6)

    def test_the_combined_loss_is_finite_and_trains_every_part(self):
        torch.manual_seed(3)
        model = MisterE(tiny_config())
        text, speech, tm, sm, valid = conversation(6, seed=4)
        sm[0, 2] = 0.0
        labels = torch.tensor([[0, 1, 2, -1, 1, 0]])
        out = model.run(text, speech, tm, sm, valid)
        losses = mister_e_loss(out, model, labels, tm, sm, valid, LossWeights())
        for name, value in losses.items():
            self.assertTrue(torch.isfinite(value), name)
        losses["total"].backward()
        for part in (model.gate, model.cross_expert, model.speech_context, model.text_projection):
            grads = [p.grad for p in part.parameters() if p.grad is not None]
            self.assertTrue(grads and any(g.abs().sum() > 0 for g in grads), type(part).__name__)


if __name__ == "__main__":
    unittest.main()
