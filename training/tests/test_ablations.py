"""Specification of the ablation switches (issue #6): HeadConfig mixing, experts and context.

Every variant keeps the contract's outputs (probs [B,T,C], gate [B,T,3], expert_probs [B,T,3,C]) so it
exports and could be served; the defaults are the full model, and older checkpoints load as it.
"""
import os
import sys
import tempfile
import unittest
from pathlib import Path

import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mister_e.export import ModelMetadata, export_onnx, load_checkpoint  # noqa: E402
from mister_e.losses import LossWeights, mister_e_loss  # noqa: E402
from mister_e.model import EXPERTS, HeadConfig, MisterE  # noqa: E402
from test_model import conversation, tiny_config  # noqa: E402

torch.set_num_threads(1)


def model_with(**overrides):
    torch.manual_seed(1)
    return MisterE(tiny_config(**overrides)).eval()


def with_missing_modalities(turns=6, seed=7):
    """Turn 1 has no speech, turn 2 no text, turn 4 neither; the others have both."""
    text, speech, tm, sm, valid = conversation(turns, seed=seed)
    sm[0, [1, 4]] = 0.0
    tm[0, [2, 4]] = 0.0
    return text, speech, tm, sm, valid


class DefaultsSpec(unittest.TestCase):

    def test_the_defaults_are_the_full_model(self):
        cfg = HeadConfig()
        self.assertEqual((cfg.mixing, cfg.experts, cfg.context), ("gate", EXPERTS, "full"))

    def test_a_checkpoint_config_written_before_the_switches_existed_loads_as_the_full_model(self):
        old = tiny_config().to_dict()
        for key in ("mixing", "experts", "context"):
            del old[key]
        cfg = HeadConfig.from_dict(old)
        self.assertEqual((cfg.mixing, cfg.experts, cfg.context), ("gate", EXPERTS, "full"))
        # same parameters, same names: an old state_dict loads strictly
        MisterE(cfg).load_state_dict(MisterE(tiny_config()).state_dict(), strict=True)

    def test_the_switches_survive_a_checkpoint_round_trip(self):
        cfg = tiny_config(mixing="uniform", experts=("cross_modal", "text"), context="none")
        model = MisterE(cfg)
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "best.pt"
            torch.save({"config": cfg.to_dict(), "model": model.state_dict()}, path)
            loaded = load_checkpoint(path)
        self.assertEqual(loaded.cfg, cfg)
        self.assertEqual(loaded.cfg.experts, ("text", "cross_modal"))   # canonical order

    def test_unknown_values_are_refused(self):
        for bad in (dict(mixing="mean"), dict(context="causal"), dict(experts=("audio",)), dict(experts=()),
                    dict(experts=("text", "text"))):
            with self.assertRaises(ValueError, msg=str(bad)):
                tiny_config(**bad)


class UniformMixingSpec(unittest.TestCase):

    def test_uniform_weights_are_equal_over_the_available_experts_and_zero_for_an_absent_modality(self):
        with torch.no_grad():
            probs, gate, _ = model_with(mixing="uniform")(*with_missing_modalities())
        third, half = 1 / 3, 1 / 2
        expected = torch.tensor([[third, third, third], [0, half, half], [half, 0, half],
                                 [third, third, third], [0, 0, 1], [third, third, third]])
        torch.testing.assert_close(gate[0], expected, rtol=0, atol=1e-7)
        self.assertEqual(gate[0, 1, 0].item(), 0.0)
        torch.testing.assert_close(probs.sum(-1), torch.ones(1, 6))

    def test_uniform_mixture_is_the_mean_of_the_available_experts_logits(self):
        model = model_with(mixing="uniform")
        with torch.no_grad():
            out = model.run(*conversation(4, seed=3))
        torch.testing.assert_close(out.mixture_logits, out.expert_logits.mean(dim=2))

    def test_uniform_mixing_spreads_over_the_kept_experts_only(self):
        with torch.no_grad():
            _, gate, _ = model_with(mixing="uniform", experts=("text", "cross_modal"))(*with_missing_modalities())
        torch.testing.assert_close(gate[0, 0], torch.tensor([0.0, 0.5, 0.5]))
        torch.testing.assert_close(gate[0, 2], torch.tensor([0.0, 0.0, 1.0]))


class ExpertSubsetSpec(unittest.TestCase):

    def test_an_excluded_expert_gets_weight_exactly_zero_even_when_its_modality_is_present(self):
        with torch.no_grad():
            _, gate, expert_probs = model_with(experts=("text", "cross_modal"))(*with_missing_modalities())
        self.assertTrue(torch.equal(gate[..., 0], torch.zeros(1, 6)))
        self.assertGreater(gate[0, 0, 1].item(), 0.0)
        torch.testing.assert_close(gate.sum(-1), torch.ones(1, 6))
        self.assertEqual(tuple(gate.shape), (1, 6, 3))              # the contract's shape is kept
        self.assertEqual(tuple(expert_probs.shape), (1, 6, 3, 7))
        # an excluded expert is not computed: its probabilities are uniform
        torch.testing.assert_close(expert_probs[0, :, 0], torch.full((6, 7), 1 / 7))

    def test_a_single_expert_is_the_whole_mixture_where_its_modality_is_present(self):
        for e, expert in enumerate(EXPERTS):
            with torch.no_grad():
                probs, gate, expert_probs = model_with(experts=(expert,))(*with_missing_modalities())
            present = {"speech": [0, 2, 3, 5], "text": [0, 1, 3, 5], "cross_modal": [0, 1, 2, 3, 4, 5]}[expert]
            for t in range(6):
                want = torch.zeros(3)
                if t in present:
                    want[e] = 1.0
                self.assertTrue(torch.equal(gate[0, t], want), f"{expert} turn {t}: {gate[0, t]}")
            torch.testing.assert_close(probs[0, present], expert_probs[0, present, e])

    def test_a_turn_left_without_any_kept_expert_stays_finite_with_uniform_probabilities(self):
        with torch.no_grad():
            probs, gate, _ = model_with(experts=("text",))(*with_missing_modalities())
        for t in (2, 4):    # no text
            self.assertTrue(torch.equal(gate[0, t], torch.zeros(3)))
            torch.testing.assert_close(probs[0, t], torch.full((7,), 1 / 7))

    def test_an_excluded_experts_input_does_not_change_the_prediction(self):
        model = model_with(experts=("text",))
        text, speech, tm, sm, valid = conversation(5, seed=4)
        with torch.no_grad():
            a = model(text, speech, tm, sm, valid)[0]
            b = model(text, speech * 10 + 3, tm, sm, valid)[0]
        torch.testing.assert_close(a, b, rtol=0, atol=0)

    def test_excluded_experts_are_not_trained_and_a_single_expert_run_has_no_contrastive_term(self):
        model = model_with(experts=("text",))
        model.train()
        text, speech, tm, sm, valid = conversation(6, seed=5)
        labels = torch.tensor([[0, 1, 2, 3, 1, 0]])
        out = model.run(text, speech, tm, sm, valid)
        losses = mister_e_loss(out, model, labels, tm, sm, valid, LossWeights(contrastive=1.0, kl=1.0))
        losses["total"].backward()
        self.assertEqual(losses["contrastive"].item(), 0.0)
        self.assertEqual(losses["kl"].item(), 0.0)      # no pair of kept experts to compare
        for name in ("speech_expert", "speech_context", "cross_expert", "gate"):
            grads = [p.grad for p in getattr(model, name).parameters()]
            self.assertTrue(all(g is None or float(g.abs().sum()) == 0.0 for g in grads), name)
        self.assertGreater(sum(float(p.grad.abs().sum()) for p in model.text_expert.parameters()), 0.0)


class NoContextSpec(unittest.TestCase):

    def test_without_context_the_speech_and_text_experts_see_each_turn_alone(self):
        model = model_with(context="none")
        text, speech, tm, sm, valid = conversation(5, seed=6)
        text2, speech2 = text.clone(), speech.clone()
        text2[0, [0, 1, 3, 4]] += torch.randn(4, text.shape[-1])   # every neighbour of turn 2 changes
        speech2[0, [0, 1, 3, 4]] += torch.randn(4, speech.shape[-1])
        with torch.no_grad():
            a = model(text, speech, tm, sm, valid)[2]
            b = model(text2, speech2, tm, sm, valid)[2]
            alone = model(*[x[:, 2:3] for x in (text, speech, tm, sm, valid)])[2]
        torch.testing.assert_close(a[0, 2, :2], b[0, 2, :2], rtol=0, atol=1e-6)
        torch.testing.assert_close(a[0, 2, :2], alone[0, 0, :2], rtol=0, atol=1e-6)
        self.assertGreater((a[0, 2, 2] - b[0, 2, 2]).abs().max().item(), 1e-6)   # co-attention still looks around

    def test_without_context_and_without_the_cross_modal_expert_a_turns_output_ignores_its_neighbours(self):
        model = model_with(context="none", experts=("speech", "text"))
        conv = conversation(5, seed=7)
        with torch.no_grad():
            whole = model(*conv)
            for t in range(5):
                alone = model(*[x[:, t:t + 1] for x in conv])
                for w, a in zip(whole, alone):
                    torch.testing.assert_close(w[0, t], a[0, 0], rtol=0, atol=1e-6)

    def test_without_context_there_is_no_gru_and_only_the_kernel_1_convolution(self):
        model = model_with(context="none")
        for ctx in (model.speech_context, model.text_context):
            self.assertFalse(hasattr(ctx, "gru"))
            self.assertEqual([c.kernel_size[0] for c in ctx.convs], [1])


class ExportSpec(unittest.TestCase):

    def test_every_ablation_variant_exports_with_the_contract_outputs(self):
        variants = [dict(experts=("text",)), dict(experts=("speech",)), dict(experts=("cross_modal",)),
                    dict(experts=("speech", "text")), dict(experts=("text",), context="none"),
                    dict(mixing="uniform"), dict(context="none"),
                    dict(mixing="uniform", experts=("speech", "text"), context="none")]
        meta = ModelMetadata("test-text@1", "test-speech@1", "ablation-1", "unit test")
        with tempfile.TemporaryDirectory() as d:
            for i, v in enumerate(variants):
                proto = onnx.load(str(export_onnx(model_with(**v), meta, Path(d) / f"m{i}.onnx")))
                # every input stays in the graph, even the embedding a variant never reads
                self.assertEqual([i.name for i in proto.graph.input],
                                 ["text", "speech", "text_mask", "speech_mask", "valid"], v)
                self.assertEqual([o.name for o in proto.graph.output], ["probs", "gate", "expert_probs"], v)
                dims = [[x.dim_param or x.dim_value for x in o.type.tensor_type.shape.dim] for o in proto.graph.output]
                self.assertEqual(dims, [["B", "T", 7], ["B", "T", 3], ["B", "T", 3, 7]], v)


if __name__ == "__main__":
    unittest.main()
