"""Writes SYNTHETIC UtteranceEmbedding Avro files (train/dev/test) for tests and the fusion proof.

Real embeddings come from the Java `bin/mister encode` command; this generator exists only to test
the training pipeline and to prove that the cross-modal expert fuses modalities.

Tasks (every turn draws a text cluster a and a speech cluster b independently, uniformly over K = C
clusters; the embedding is its cluster's centroid plus Gaussian noise; centroids come from
--world-seed so that all splits share them, samples from --seed):

  fusion     label = (a + b) mod C. For a fixed a the label is uniform over the C classes (and the
             same for a fixed b), so neither modality alone carries any information about the label:
             a speech-only or text-only model stays at chance 1/C; only the pair recovers it.
  separable  b = a and label = a: either modality alone recovers the label (pipeline smoke tests).

Labels are independent across turns, so conversation context does not help either.

    /usr/bin/python3 training/tools/write_embeddings.py --task fusion --out-dir training/runs/fusion/data
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mister_e.data import utterance_embedding_schema  # noqa: E402

EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def centroids(world_seed: int, k: int, text_dim: int, speech_dim: int):
    rng = np.random.default_rng(world_seed)
    return rng.normal(size=(k, text_dim)).astype(np.float32), rng.normal(size=(k, speech_dim)).astype(np.float32)


def conversations(task: str, n: int, seed: int, labels, text_c, speech_c, min_turns: int, max_turns: int,
                  noise: float, p_no_text: float, p_no_speech: float, prefix: str):
    rng = np.random.default_rng(seed)
    c = len(labels)
    for i in range(n):
        turns = int(rng.integers(min_turns, max_turns + 1))
        rows = []
        for s in range(turns):
            a = int(rng.integers(c))
            b = int(rng.integers(c)) if task == "fusion" else a
            y = (a + b) % c if task == "fusion" else a
            text = text_c[a] + noise * rng.normal(size=text_c.shape[1]).astype(np.float32)
            speech = speech_c[b] + noise * rng.normal(size=speech_c.shape[1]).astype(np.float32)
            draw = rng.random()
            has_text, has_speech = draw >= p_no_text, not (p_no_text <= draw < p_no_text + p_no_speech)
            rows.append((s, text if has_text else None, speech if has_speech else None, labels[y]))
        yield f"{prefix}-{i:05d}", rows


def write(path: Path, convs, text_encoder, speech_encoder):
    from avro.datafile import DataFileWriter
    from avro.io import DatumWriter
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = utterance_embedding_schema()
    count = 0
    with open(path, "wb") as fh:
        writer = DataFileWriter(fh, DatumWriter(), schema)
        for cid, rows in convs:
            for seq, text, speech, label in rows:
                t = EPOCH + dt.timedelta(seconds=count)
                writer.append({
                    "conversation_id": cid, "utterance_id": f"{cid}-{seq}", "seq": seq,
                    "speaker_role": "customer" if seq % 2 == 0 else "agent", "event_time": t,
                    "text": None if text is None else f"synthetic turn {seq}",
                    "text_embedding": None if text is None else [float(v) for v in text],
                    "speech_embedding": None if speech is None else [float(v) for v in speech],
                    "text_encoder": text_encoder, "speech_encoder": speech_encoder,
                    "label": label, "encoded_at": t,
                })
                count += 1
        writer.close()
    return count


def encoder(spec: str, dim: int):
    ident, _, version = spec.partition("@")
    return {"id": ident, "version": version or "1", "dim": dim}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--task", choices=["fusion", "separable"], required=True)
    p.add_argument("--out-dir", type=Path, required=True)
    p.add_argument("--labels", default="neutral,joy,anger,sadness")
    p.add_argument("--text-dim", type=int, default=384)
    p.add_argument("--speech-dim", type=int, default=88)
    p.add_argument("--text-encoder", default="synthetic-text@1")
    p.add_argument("--speech-encoder", default="synthetic-speech@1")
    p.add_argument("--train", type=int, default=600, help="conversations in train.avro")
    p.add_argument("--dev", type=int, default=100)
    p.add_argument("--test", type=int, default=100)
    p.add_argument("--min-turns", type=int, default=3)
    p.add_argument("--max-turns", type=int, default=12)
    p.add_argument("--noise", type=float, default=1.0, help="per-dimension noise std (centroids are N(0, 1))")
    p.add_argument("--p-no-text", type=float, default=0.05)
    p.add_argument("--p-no-speech", type=float, default=0.05)
    p.add_argument("--world-seed", type=int, default=7)
    p.add_argument("--seed", type=int, default=11)
    a = p.parse_args(argv)
    labels = a.labels.split(",")
    text_c, speech_c = centroids(a.world_seed, len(labels), a.text_dim, a.speech_dim)
    te, se = encoder(a.text_encoder, a.text_dim), encoder(a.speech_encoder, a.speech_dim)
    for offset, (split, n) in enumerate((("train", a.train), ("dev", a.dev), ("test", a.test))):
        if n <= 0:
            continue
        convs = conversations(a.task, n, a.seed + 1000 * offset, labels, text_c, speech_c, a.min_turns,
                              a.max_turns, a.noise, a.p_no_text, a.p_no_speech, f"{a.task}-{split}")
        count = write(a.out_dir / f"{split}.avro", convs, te, se)
        print(f"wrote {a.out_dir / f'{split}.avro'}: {n} conversations, {count} turns")


if __name__ == "__main__":
    main()
