"""Specification of reading UtteranceEmbedding Avro files and of the exported ONNX contract."""
import datetime as dt
import json
import os
import sys
import tempfile
import unittest
from pathlib import Path

import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mister_e.data import EmbeddingDataError, load_embeddings, utterance_embedding_schema  # noqa: E402
from mister_e.export import ModelMetadata, export_onnx, read_metadata  # noqa: E402
from mister_e.model import MisterE  # noqa: E402
from test_model import tiny_config  # noqa: E402

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def record(cid, seq, text=None, speech=None, label=None, text_dim=2, speech_dim=1, text_id="t"):
    return {"conversation_id": cid, "utterance_id": f"{cid}-{seq}", "seq": seq, "speaker_role": None,
            "event_time": T0, "text": None, "text_embedding": text, "speech_embedding": speech,
            "text_encoder": {"id": text_id, "version": "1", "dim": text_dim},
            "speech_encoder": {"id": "s", "version": "1", "dim": speech_dim}, "label": label, "encoded_at": T0}


def write_avro(path, records):
    from avro.datafile import DataFileWriter
    from avro.io import DatumWriter
    with open(path, "wb") as fh:
        w = DataFileWriter(fh, DatumWriter(), utterance_embedding_schema())
        for r in records:
            w.append(r)
        w.close()


class EmbeddingFileSpec(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "e.avro"

    def tearDown(self):
        self.dir.cleanup()

    def test_turns_are_grouped_by_conversation_and_ordered_by_seq_with_masks_for_absent_modalities(self):
        write_avro(self.path, [
            record("a", 1, text=[1.0, 2.0], label="joy"),
            record("a", 0, speech=[3.0], label="neutral"),
            record("b", 0, text=[5.0, 6.0], speech=[7.0], label="sarcasm"),
        ])
        s = load_embeddings([self.path])
        self.assertEqual([c.conversation_id for c in s.conversations], ["a", "b"])
        a = s.conversations[0]
        self.assertEqual(a.labels.tolist(), [0, 1])                 # neutral, joy (seq order)
        self.assertEqual(a.text_mask.tolist(), [0.0, 1.0])
        self.assertEqual(a.speech_mask.tolist(), [1.0, 0.0])
        self.assertEqual(a.text[0].tolist(), [0.0, 0.0])           # absent -> zeros
        self.assertEqual(s.conversations[1].labels.tolist(), [-1])  # unknown label is ignored, and counted
        self.assertEqual(s.unknown_labels, {"sarcasm": 1})
        self.assertEqual((s.text_encoder, s.text_dim, s.speech_encoder, s.speech_dim), ("t@1", 2, "s@1", 1))

    def test_a_wrong_dimension_is_refused(self):
        write_avro(self.path, [record("a", 0, text=[1.0, 2.0, 3.0])])
        with self.assertRaises(EmbeddingDataError):
            load_embeddings([self.path])

    def test_mixed_encoders_are_refused(self):
        write_avro(self.path, [record("a", 0, text=[1.0, 2.0]), record("b", 0, text=[1.0, 2.0], text_id="other")])
        with self.assertRaises(EmbeddingDataError):
            load_embeddings([self.path])


class ExportContractSpec(unittest.TestCase):

    def test_the_exported_model_has_the_contract_names_dynamic_axes_and_metadata(self):
        torch.manual_seed(0)
        model = MisterE(tiny_config())
        meta = ModelMetadata("all-minilm-l6-v2-q@1", "mister-prosody@1", "m-1", "unit test",
                             {"meld_dev_weighted_f1": 55.1})
        with tempfile.TemporaryDirectory() as d:
            path = export_onnx(model, meta, Path(d) / "m.onnx")
            proto = onnx.load(str(path))
            onnx.checker.check_model(proto, full_check=True)
            props = read_metadata(path)
        self.assertEqual([i.name for i in proto.graph.input], ["text", "speech", "text_mask", "speech_mask", "valid"])
        self.assertEqual([o.name for o in proto.graph.output], ["probs", "gate", "expert_probs"])
        for value in list(proto.graph.input) + list(proto.graph.output):
            dims = value.type.tensor_type.shape.dim
            self.assertEqual((dims[0].dim_param, dims[1].dim_param), ("B", "T"), value.name)
            self.assertEqual(value.type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        self.assertEqual(props, {
            "labels": "neutral,joy,surprise,anger,sadness,disgust,fear", "text_encoder": "all-minilm-l6-v2-q@1",
            "text_dim": "8", "speech_encoder": "mister-prosody@1", "speech_dim": "6", "model_version": "m-1",
            "context": "bidirectional", "trained_on": "unit test", "evaluation": json.dumps({"meld_dev_weighted_f1": 55.1})})
        self.assertTrue(13 <= proto.opset_import[0].version <= 17)


if __name__ == "__main__":
    unittest.main()
