"""Specification of a shipped model's parity file (training/tools/shipped_parity.py)."""
import json
import os
import sys
import tempfile
import unittest
from pathlib import Path

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mister_e.export import ModelMetadata, export_onnx  # noqa: E402
from mister_e.model import MisterE  # noqa: E402
from test_data_and_export import record, write_avro  # noqa: E402
from test_model import tiny_config  # noqa: E402
from tools import shipped_parity  # noqa: E402

torch.set_num_threads(1)


def vector(seed, n):
    return [round(float(v), 6) for v in torch.randn(n, generator=torch.Generator().manual_seed(seed))]


class ShippedParitySpec(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        d = Path(self.dir.name)
        # text-only conversations (as MELD dev) plus a speech-only file (as EmoDB speaker 13)
        write_avro(d / "dev.avro", [record(f"c{k}", s, text=vector(10 * k + s, 8), label="joy", text_dim=8,
                                           speech_dim=6) for k in range(4) for s in range(3 + 4 * k)])
        write_avro(d / "heldout.avro", [record("e", s, speech=vector(100 + s, 6), label="anger", text_dim=8,
                                               speech_dim=6) for s in range(5)])
        torch.manual_seed(3)
        self.model = MisterE(tiny_config(labels=["neutral", "joy", "anger"])).eval()
        self.checkpoint = d / "best.pt"
        torch.save({"config": self.model.cfg.to_dict(), "model": self.model.state_dict(),
                    "text_encoder": "t@1", "speech_encoder": "s@1"}, self.checkpoint)
        self.onnx = export_onnx(self.model, ModelMetadata("t@1", "s@1", "tiny-7", "test"), d / "head.onnx")
        self.dir_path = d

    def tearDown(self):
        self.dir.cleanup()

    def write(self):
        d = self.dir_path
        return shipped_parity.main(["--checkpoint", str(self.checkpoint), "--onnx", str(self.onnx),
                                    "--data", str(d / "dev.avro"), "--speech-from", str(d / "heldout.avro")])

    def test_outside_models_the_file_goes_beside_the_model_and_names_its_version_encoders_and_bytes(self):
        out = self.write()
        self.assertEqual(out, self.dir_path / "head-parity.json")
        entry = json.loads(out.read_text())["models"]["head.onnx"]
        self.assertEqual((entry["model_version"], entry["text_encoder"], entry["speech_encoder"]),
                         ("tiny-7", "t@1", "s@1"))
        self.assertEqual((entry["text_dim"], entry["speech_dim"]), (8, 6))
        self.assertEqual(len(entry["onnx_sha256"]), 64)

    def test_inputs_cover_padding_paired_single_and_absent_modalities_and_reproduce_torch(self):
        doc = json.loads(self.write().read_text())
        self.assertEqual(doc["lengths"], [3, 7, 8])                 # first three with >= 3 turns, cut to 8
        tm, sm = torch.tensor(doc["inputs"]["text_mask"]), torch.tensor(doc["inputs"]["speech_mask"])
        self.assertEqual(tm[0, 1].item() + sm[0, 1].item(), 0)     # conversation 0, turn 1: neither modality
        self.assertEqual((tm[1, 1].item(), sm[1, 1].item()), (1, 0))  # text only
        self.assertEqual((tm[1, 2].item(), sm[1, 2].item()), (0, 1))  # speech only (donated)
        self.assertEqual((tm[2, :8].min().item(), sm[2, :8].min().item()), (1, 1))  # paired
        inputs = [torch.tensor(doc["inputs"][n], dtype=torch.float32)
                  for n in ("text", "speech", "text_mask", "speech_mask", "valid")]
        self.assertEqual(inputs[0][0, 1].abs().sum().item(), 0)     # absent embeddings are zeros
        with torch.no_grad():
            probs, gate, _ = self.model(*inputs)
        expected = doc["models"]["head.onnx"]["outputs"]
        self.assertTrue(torch.equal(probs, torch.tensor(expected["probs"], dtype=torch.float32)))
        self.assertTrue(torch.equal(gate, torch.tensor(expected["gate"], dtype=torch.float32)))
        self.assertEqual(doc["tolerance"], 1e-4)

    def test_a_model_exported_from_another_checkpoint_is_refused(self):
        export_onnx(self.model, ModelMetadata("other@1", "s@1", "tiny-7", "test"), self.onnx)
        with self.assertRaises(SystemExit):
            self.write()

    def test_a_shipped_model_gets_its_file_under_models_parity(self):
        self.assertEqual(shipped_parity.default_output(shipped_parity.MODELS / "mister-e-meld.onnx"),
                         shipped_parity.MODELS / "parity" / "mister-e-meld-parity.json")


if __name__ == "__main__":
    unittest.main()
