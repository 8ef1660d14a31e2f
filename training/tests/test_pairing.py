"""Specification of the paired-modality augmentation (data.NeutralDonors, data.pair_modalities)."""
import os
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mister_e.data import (Augmentation, Conversation, NeutralDonors, pair_modalities,  # noqa: E402
                           training_batches)
from mister_e.losses import LossWeights, mister_e_loss  # noqa: E402
from mister_e.model import MisterE  # noqa: E402
from test_model import tiny_config  # noqa: E402

NEUTRAL, ANGER = 0, 3


def text_only(cid, labels, texts, dt=8, ds=6, offset=0.0):
    n = len(labels)
    return Conversation(cid, np.arange(n * dt, dtype=np.float32).reshape(n, dt) + offset, np.zeros((n, ds), np.float32),
                        np.ones(n, np.float32), np.zeros(n, np.float32), np.asarray(labels, np.int64), list(texts))


def speech_only(cid, labels, dt=8, ds=6):
    n = len(labels)
    return Conversation(cid, np.zeros((n, dt), np.float32), -np.arange(1, n * ds + 1, dtype=np.float32).reshape(n, ds),
                        np.zeros(n, np.float32), np.ones(n, np.float32), np.asarray(labels, np.int64), [""] * n)


class PairingSpec(unittest.TestCase):

    def setUp(self):
        self.chat = text_only("meld", [NEUTRAL, ANGER, NEUTRAL, NEUTRAL],
                              ["Okay.", "This is unacceptable!", "Really?", ""])
        self.voice = speech_only("emodb", [NEUTRAL, ANGER, NEUTRAL])
        self.donors = NeutralDonors.from_conversations([self.chat, self.voice], NEUTRAL)

    def test_donors_are_neutral_and_text_donors_carry_no_emotive_punctuation(self):
        self.assertEqual(len(self.donors.speech), 2)                           # the voice's neutral turns
        np.testing.assert_array_equal(self.donors.speech, self.voice.speech[[0, 2]])
        self.assertEqual(len(self.donors.text), 1)                             # "Okay." only
        np.testing.assert_array_equal(self.donors.text[0], self.chat.text[0])

    def test_a_paired_turn_keeps_its_label_and_its_own_modality(self):
        paired = pair_modalities(self.chat, self.donors, np.random.default_rng(0))
        np.testing.assert_array_equal(paired.labels, self.chat.labels)
        np.testing.assert_array_equal(paired.text, self.chat.text)
        np.testing.assert_array_equal(paired.speech_mask, np.ones(4))
        np.testing.assert_array_equal(paired.speech_donated, np.ones(4))
        for row in paired.speech:
            self.assertTrue(any(np.array_equal(row, d) for d in self.donors.speech))
        voiced = pair_modalities(self.voice, self.donors, np.random.default_rng(0))
        np.testing.assert_array_equal(voiced.text_mask, np.ones(3))
        np.testing.assert_array_equal(voiced.speech, self.voice.speech)
        np.testing.assert_array_equal(voiced.text, np.repeat(self.donors.text, 3, axis=0))

    def test_pairing_is_seeded_and_off_by_default(self):
        def epoch(p, seed):
            aug = Augmentation(prefix_probability=0.0, modality_dropout=0.0, pair_probability=p)
            return [b.speech for b in training_batches([self.chat, self.voice], 2, np.random.default_rng(seed), aug,
                                                      self.donors)]
        for a, b in zip(epoch(1.0, 5), epoch(1.0, 5)):
            torch.testing.assert_close(a, b)
        unpaired = epoch(0.0, 5)[0]
        self.assertEqual(float(unpaired.abs().sum()), float(np.abs(self.voice.speech).sum()))

    def test_an_expert_is_not_trained_on_a_donated_modality(self):
        torch.manual_seed(0)
        model = MisterE(tiny_config())
        aug = Augmentation(prefix_probability=0.0, modality_dropout=0.0, pair_probability=1.0)
        batch = next(iter(training_batches([self.chat], 1, np.random.default_rng(1), aug, self.donors)))
        out = model.run(*batch.inputs())
        w = LossWeights(mixture=0.0, experts=1.0, contrastive=0.0, kl=0.0)
        with_donor = mister_e_loss(out, model, batch.labels, batch.text_mask, batch.speech_mask, batch.valid, w)
        without = mister_e_loss(out, model, batch.labels, batch.text_mask, batch.speech_mask, batch.valid, w,
                                None, batch.text_donated, batch.speech_donated)
        as_if_no_speech = mister_e_loss(out, model, batch.labels, batch.text_mask, torch.zeros_like(batch.speech_mask),
                                        batch.valid, w)
        self.assertNotAlmostEqual(float(with_donor["experts"]), float(without["experts"]), places=5)
        torch.testing.assert_close(without["experts"], as_if_no_speech["experts"])


if __name__ == "__main__":
    unittest.main()
