"""Specification of the MiSTER-E head's masking behaviour (what the processor relies on)."""
import os
import sys
import unittest

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mister_e.model import HeadConfig, MisterE, reverse_within_length  # noqa: E402

torch.set_num_threads(1)


def tiny_config(**overrides):
    cfg = dict(text_dim=8, speech_dim=6, conv_channels=8, gru_hidden=8, gru_layers=2,
               classifier_hidden=8, attn_dim=8, attn_heads=2, coattn_blocks=2, projection_dim=4)
    cfg.update(overrides)
    return HeadConfig(**cfg)


def conversation(turns, seed, text_dim=8, speech_dim=6):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(1, turns, text_dim, generator=g), torch.randn(1, turns, speech_dim, generator=g),
            torch.ones(1, turns), torch.ones(1, turns), torch.ones(1, turns))


def pad_to(x, turns, fill):
    pad = turns - x.shape[1]
    if pad == 0:
        return x
    shape = list(x.shape)
    shape[1] = pad
    return torch.cat([x, torch.full(shape, fill)], dim=1)


class MaskingSpec(unittest.TestCase):

    def setUp(self):
        torch.manual_seed(1)
        self.model = MisterE(tiny_config()).eval()

    def test_a_conversation_scores_the_same_alone_or_batched_with_a_longer_one(self):
        short, long_ = conversation(3, seed=2), conversation(7, seed=3)
        short[3][0, 1] = 0.0   # turn 1 has no speech
        short[2][0, 2] = 0.0   # turn 2 has no text
        with torch.no_grad():
            alone = self.model(*short)
            # padding is filled with garbage on purpose: it must never reach a real turn
            padded = [pad_to(x, 7, 123.0) for x in short[:4]] + [pad_to(short[4], 7, 0.0)]
            batched = self.model(*[torch.cat([p, l], 0) for p, l in zip(padded, long_)])
        for a, b in zip(alone, batched):
            torch.testing.assert_close(a[0], b[0, :3], rtol=0, atol=1e-6)

    def test_padding_does_not_leak_into_the_backward_direction(self):
        conv = conversation(4, seed=5)
        with torch.no_grad():
            base = self.model(*conv)[0]
            for fill in (0.0, 50.0):
                padded = [pad_to(x, 9, fill) for x in conv[:4]] + [pad_to(conv[4], 9, 0.0)]
                torch.testing.assert_close(base[0], self.model(*padded)[0][0, :4], rtol=0, atol=1e-6)

    def test_later_turns_do_change_earlier_turns_because_context_is_bidirectional(self):
        conv = conversation(5, seed=6)
        with torch.no_grad():
            full = self.model(*conv)[0]
            prefix = self.model(*[x[:, :3] for x in conv])[0]
        self.assertGreater((full[0, :3] - prefix[0]).abs().max().item(), 1e-6)

    def test_an_absent_modality_gets_gate_weight_exactly_zero(self):
        text, speech, tm, sm, valid = conversation(6, seed=7)
        sm[0, [1, 4]] = 0.0
        tm[0, [2, 4]] = 0.0
        with torch.no_grad():
            probs, gate, _ = self.model(text, speech, tm, sm, valid)
        self.assertEqual(gate[0, 1, 0].item(), 0.0)
        self.assertEqual(gate[0, 4, 0].item(), 0.0)
        self.assertEqual(gate[0, 2, 1].item(), 0.0)
        self.assertEqual(gate[0, 4, 1].item(), 0.0)
        self.assertGreater(gate[0, 0].min().item(), 0.0)
        torch.testing.assert_close(gate.sum(-1), torch.ones(1, 6))
        torch.testing.assert_close(probs.sum(-1), torch.ones(1, 6))

    def test_an_absent_modality_does_not_influence_the_result_through_its_zeroed_input(self):
        text, speech, tm, sm, valid = conversation(4, seed=8)
        sm[0, 2] = 0.0
        with torch.no_grad():
            a = self.model(text, speech, tm, sm, valid)
            speech2 = speech.clone()
            speech2[0, 2] = 99.0     # whatever sits in an absent slot is ignored
            b = self.model(text, speech2, tm, sm, valid)
        for x, y in zip(a, b):
            torch.testing.assert_close(x, y, rtol=0, atol=0)

    def test_outputs_stay_finite_when_a_turn_or_a_whole_conversation_lacks_both_modalities(self):
        text, speech, tm, sm, valid = conversation(3, seed=9)
        tm[0, 1] = sm[0, 1] = 0.0
        with torch.no_grad():
            outs = self.model(text, speech, tm, sm, valid)
            none = self.model(text, speech, torch.zeros_like(tm), torch.zeros_like(sm), valid)
        for o in list(outs) + list(none):
            self.assertTrue(torch.isfinite(o).all())
        self.assertEqual(outs[1][0, 1].tolist(), [0.0, 0.0, 1.0])  # only the cross-modal expert is left
        self.assertTrue(torch.equal(none[1][0, :, 2], torch.ones(3)))

    def test_a_text_only_conversation_never_uses_the_speech_expert(self):
        text, speech, tm, sm, valid = conversation(5, seed=10)
        with torch.no_grad():
            _, gate, _ = self.model(text, torch.zeros_like(speech), tm, torch.zeros_like(sm), valid)
        self.assertTrue(torch.equal(gate[..., 0], torch.zeros(1, 5)))

    def test_reverse_within_length_keeps_padding_in_place_and_is_an_involution(self):
        x = torch.arange(10.0).reshape(2, 5, 1)
        lengths = torch.tensor([3, 5])
        r = reverse_within_length(x, lengths)
        self.assertEqual(r[0, :, 0].tolist(), [2.0, 1.0, 0.0, 3.0, 4.0])
        self.assertEqual(r[1, :, 0].tolist(), [9.0, 8.0, 7.0, 6.0, 5.0])
        self.assertTrue(torch.equal(reverse_within_length(r, lengths), x))

    def test_every_size_is_a_hyper_parameter(self):
        cfg = tiny_config(conv_channels=5, gru_hidden=3, gru_layers=3, attn_dim=6, attn_heads=3,
                          coattn_blocks=1, classifier_hidden=4, gate_hidden=7, labels=["a", "b"])
        model = MisterE(cfg).eval()
        with torch.no_grad():
            probs, gate, expert = model(*conversation(4, seed=11))
        self.assertEqual(tuple(probs.shape), (1, 4, 2))
        self.assertEqual(tuple(expert.shape), (1, 4, 3, 2))
        self.assertEqual(len(model.speech_context.gru.forward_layers), 3)


if __name__ == "__main__":
    unittest.main()
