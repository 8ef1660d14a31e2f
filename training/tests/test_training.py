"""Specification of a training run: reproducible, selects on dev, exports a contract-conforming model."""
import os
import sys
import tempfile
import unittest
from pathlib import Path

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import train as trainer  # noqa: E402
from mister_e.export import read_metadata  # noqa: E402
from tools import write_embeddings  # noqa: E402


class TrainingRunSpec(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.data = Path(cls.dir.name) / "data"
        write_embeddings.main(["--task", "separable", "--text-dim", "12", "--speech-dim", "5", "--train", "16",
                               "--dev", "4", "--test", "4", "--out-dir", str(cls.data)])

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def run_training(self, name, *extra):
        args = trainer.parse_args([
            "--train", str(self.data / "train.avro"), "--dev", str(self.data / "dev.avro"),
            "--test", str(self.data / "test.avro"), "--labels", "neutral,joy,anger,sadness",
            "--out", str(Path(self.dir.name) / name), "--epochs", "2", "--conv-channels", "4", "--gru-hidden", "4",
            "--attn-dim", "4", "--attn-heads", "2", "--classifier-hidden", "4", "--projection-dim", "4",
            "--quiet", *extra])
        return trainer.train(args)

    def test_the_same_seed_gives_the_same_model_and_figures(self):
        first, second = self.run_training("a"), self.run_training("b")
        self.assertEqual(first["history"][-1]["loss_total"], second["history"][-1]["loss_total"])
        self.assertEqual(first["evaluation"], second["evaluation"])
        a = torch.load(Path(self.dir.name) / "a" / "best.pt")["model"]
        b = torch.load(Path(self.dir.name) / "b" / "best.pt")["model"]
        for key in a:
            self.assertTrue(torch.equal(a[key], b[key]), key)

    def test_the_report_has_full_and_prefix_figures_and_the_export_carries_them(self):
        onnx_path = Path(self.dir.name) / "m.onnx"
        report = self.run_training("c", "--export", str(onnx_path), "--model-version", "spec-1")
        for split in ("dev", "test"):
            self.assertIn("weighted_f1", report[split]["full"]["mixture"])
            self.assertIn("weighted_f1", report[split]["prefix"]["mixture"])
        meta = read_metadata(onnx_path)
        self.assertEqual(meta["model_version"], "spec-1")
        self.assertEqual(meta["text_encoder"], "synthetic-text@1")
        self.assertIn("dev_prefix_weighted_f1", meta["evaluation"])
        self.assertIn("test_weighted_f1", meta["evaluation"])


if __name__ == "__main__":
    unittest.main()
