"""Specification of the seed ensemble: the mean of its members, exported like a single head."""
import os
import sys
import tempfile
import unittest
from pathlib import Path

import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mister_e.ensemble import SeedEnsemble  # noqa: E402
from mister_e.export import INPUT_NAMES, OUTPUT_NAMES, ModelMetadata, export_onnx, load_checkpoints  # noqa: E402
from mister_e.model import MisterE  # noqa: E402
from test_model import conversation, tiny_config  # noqa: E402

torch.set_num_threads(1)


def head(seed):
    torch.manual_seed(seed)
    return MisterE(tiny_config()).eval()


class SeedEnsembleSpec(unittest.TestCase):

    def test_outputs_are_the_means_of_the_members_outputs(self):
        a, b = head(1), head(2)
        inputs = conversation(5, seed=3)
        inputs[3][0, 2] = 0.0  # one turn without speech
        with torch.no_grad():
            ens = SeedEnsemble([a, b]).eval()(*inputs)
            for got, x, y in zip(ens, a(*inputs), b(*inputs)):
                self.assertTrue(torch.allclose(got, (x + y) / 2, atol=1e-6))
        self.assertEqual(float(ens[1][0, 2, 0]), 0.0, "an absent modality keeps gate weight 0")
        self.assertTrue(torch.allclose(ens[0].sum(-1), torch.ones(1, 5), atol=1e-5))

    def test_members_must_agree_on_labels_and_dimensions(self):
        other = MisterE(tiny_config(text_dim=10)).eval()
        with self.assertRaises(ValueError):
            SeedEnsemble([head(1), other])

    def test_several_checkpoints_load_as_an_ensemble_and_export_with_the_contracts_signature(self):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for seed in (1, 2):
                m = head(seed)
                p = Path(tmp) / f"seed-{seed}.pt"
                torch.save({"config": m.cfg.to_dict(), "model": m.state_dict()}, p)
                paths.append(p)
            self.assertIsInstance(load_checkpoints(paths[:1]), MisterE)
            ens = load_checkpoints(paths)
            self.assertIsInstance(ens, SeedEnsemble)
            out = export_onnx(ens, ModelMetadata("t@1", "s@1", "ens-1", "test", {}), Path(tmp) / "ens.onnx")
            proto = onnx.load(str(out))
            self.assertEqual([i.name for i in proto.graph.input], list(INPUT_NAMES))
            self.assertEqual([o.name for o in proto.graph.output], list(OUTPUT_NAMES))
            self.assertIn("mean of 2 heads", proto.doc_string)


if __name__ == "__main__":
    unittest.main()
