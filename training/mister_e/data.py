"""Reading UtteranceEmbedding Avro container files into conversations, and batching them.

Records arrive in conversation order (key conversation_id); within a conversation turns are ordered
by ``seq``. Null text_embedding / speech_embedding mean the modality is absent for that turn.
"""
from __future__ import annotations

import json
import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import torch

MELD_LABELS = ["neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear"]
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas" / "src" / "main" / "avro"


class EmbeddingDataError(ValueError):
    """An embedding file that cannot be trained on (mixed encoders, wrong dims, NaN)."""


@dataclass
class Conversation:
    conversation_id: str
    text: np.ndarray         # [T, Dt] float32, zeros where absent
    speech: np.ndarray       # [T, Ds]
    text_mask: np.ndarray    # [T] float32
    speech_mask: np.ndarray  # [T]
    labels: np.ndarray       # [T] int64, -1 where no usable gold label
    texts: Optional[List[str]] = None          # the transcripts (Avro `text`), when known
    text_donated: Optional[np.ndarray] = None  # [T] 1 where the text is a paired-modality donor's
    speech_donated: Optional[np.ndarray] = None

    def __len__(self) -> int:
        return len(self.labels)

    def prefix(self, n: int) -> "Conversation":
        cut = lambda a: None if a is None else a[:n]  # noqa: E731
        return Conversation(self.conversation_id, self.text[:n], self.speech[:n], self.text_mask[:n],
                            self.speech_mask[:n], self.labels[:n], cut(self.texts), cut(self.text_donated),
                            cut(self.speech_donated))


@dataclass
class EmbeddingSet:
    conversations: List[Conversation]
    text_encoder: str     # id@version
    text_dim: int
    speech_encoder: str
    speech_dim: int
    labels: List[str]
    unknown_labels: Dict[str, int]

    def label_counts(self) -> List[int]:
        counts = [0] * len(self.labels)
        for c in self.conversations:
            for y in c.labels:
                if y >= 0:
                    counts[y] += 1
        return counts

    def summary(self) -> str:
        turns = sum(len(c) for c in self.conversations)
        text = int(sum(c.text_mask.sum() for c in self.conversations))
        speech = int(sum(c.speech_mask.sum() for c in self.conversations))
        return (f"{len(self.conversations)} conversations, {turns} turns (text {text}, speech {speech}); "
                f"text {self.text_encoder} [{self.text_dim}], speech {self.speech_encoder} [{self.speech_dim}]")


def encoder_name(info: Dict) -> str:
    return f"{info['id']}@{info['version']}"


def utterance_embedding_schema():
    """The UtteranceEmbedding Avro schema with EncoderInfo inlined (for Python writers)."""
    import avro.schema
    encoder_info = json.loads((SCHEMA_DIR / "EncoderInfo.avsc").read_text())
    record = json.loads((SCHEMA_DIR / "UtteranceEmbedding.avsc").read_text())
    inlined = False
    for f in record["fields"]:
        if f["type"] == "EncoderInfo" and not inlined:
            f["type"] = encoder_info
            inlined = True
        elif f["type"] == "EncoderInfo":
            f["type"] = "io.mister.events.EncoderInfo"
    return avro.schema.parse(json.dumps(record))


def read_records(paths: Sequence[Path]) -> Iterable[Dict]:
    from avro.datafile import DataFileReader
    from avro.io import DatumReader
    for path in paths:
        with open(path, "rb") as fh:
            reader = DataFileReader(fh, DatumReader())
            try:
                for record in reader:
                    yield record
            finally:
                reader.close()


def load_embeddings(paths: Sequence[Path], labels: Sequence[str] = MELD_LABELS) -> EmbeddingSet:
    """Groups records by conversation (first-appearance order), orders turns by seq, checks encoders."""
    index = {name: i for i, name in enumerate(labels)}
    grouped: "OrderedDict[str, List[Dict]]" = OrderedDict()
    text_enc = speech_enc = None
    unknown: Dict[str, int] = {}
    for r in read_records([Path(p) for p in paths]):
        te, se = r["text_encoder"], r["speech_encoder"]
        if text_enc is None:
            text_enc, speech_enc = te, se
        if (encoder_name(te), te["dim"]) != (encoder_name(text_enc), text_enc["dim"]) or \
                (encoder_name(se), se["dim"]) != (encoder_name(speech_enc), speech_enc["dim"]):
            raise EmbeddingDataError(
                f"mixed encoders: {encoder_name(te)}/{encoder_name(se)} in conversation {r['conversation_id']} "
                f"after {encoder_name(text_enc)}/{encoder_name(speech_enc)}")
        grouped.setdefault(r["conversation_id"], []).append(r)
    if text_enc is None:
        raise EmbeddingDataError(f"no records in {', '.join(map(str, paths))}")
    dt, ds = int(text_enc["dim"]), int(speech_enc["dim"])
    conversations = []
    for cid, records in grouped.items():
        records.sort(key=lambda r: r["seq"])
        n = len(records)
        text = np.zeros((n, dt), np.float32)
        speech = np.zeros((n, ds), np.float32)
        tm, sm = np.zeros(n, np.float32), np.zeros(n, np.float32)
        y = np.full(n, -1, np.int64)
        texts = [r.get("text") or "" for r in records]
        for i, r in enumerate(records):
            for emb, dim, arr, mask, what in ((r["text_embedding"], dt, text, tm, "text"),
                                              (r["speech_embedding"], ds, speech, sm, "speech")):
                if emb is None:
                    continue
                if len(emb) != dim:
                    raise EmbeddingDataError(f"{cid} seq {r['seq']}: {what} embedding has {len(emb)} values, "
                                             f"encoder says {dim}")
                v = np.asarray(emb, np.float32)
                if not np.isfinite(v).all():
                    raise EmbeddingDataError(f"{cid} seq {r['seq']}: {what} embedding is not finite")
                arr[i], mask[i] = v, 1.0
            label = r.get("label")
            if label is not None:
                if label in index:
                    y[i] = index[label]
                else:
                    unknown[label] = unknown.get(label, 0) + 1
        conversations.append(Conversation(cid, text, speech, tm, sm, y, texts))
    return EmbeddingSet(conversations, encoder_name(text_enc), dt, encoder_name(speech_enc), ds, list(labels),
                        unknown)


@dataclass
class Batch:
    text: torch.Tensor
    speech: torch.Tensor
    text_mask: torch.Tensor
    speech_mask: torch.Tensor
    valid: torch.Tensor
    labels: torch.Tensor
    text_donated: Optional[torch.Tensor] = None    # [B, T] 1 where the text came from a pairing donor
    speech_donated: Optional[torch.Tensor] = None

    def inputs(self) -> Tuple[torch.Tensor, ...]:
        return self.text, self.speech, self.text_mask, self.speech_mask, self.valid


def collate(conversations: Sequence[Conversation]) -> Batch:
    """Pads to the longest conversation (padding at the end, zeros, valid = 0, label -1)."""
    b, t = len(conversations), max(len(c) for c in conversations)
    dt, ds = conversations[0].text.shape[1], conversations[0].speech.shape[1]
    text, speech = np.zeros((b, t, dt), np.float32), np.zeros((b, t, ds), np.float32)
    tm, sm, valid = np.zeros((b, t), np.float32), np.zeros((b, t), np.float32), np.zeros((b, t), np.float32)
    labels = np.full((b, t), -1, np.int64)
    td, sd = np.zeros((b, t), np.float32), np.zeros((b, t), np.float32)
    for i, c in enumerate(conversations):
        n = len(c)
        text[i, :n], speech[i, :n], tm[i, :n], sm[i, :n] = c.text, c.speech, c.text_mask, c.speech_mask
        valid[i, :n], labels[i, :n] = 1.0, c.labels
        if c.text_donated is not None:
            td[i, :n] = c.text_donated * c.text_mask
        if c.speech_donated is not None:
            sd[i, :n] = c.speech_donated * c.speech_mask
    return Batch(*(torch.from_numpy(a) for a in (text, speech, tm, sm, valid)), torch.from_numpy(labels),
                 torch.from_numpy(td), torch.from_numpy(sd))


@dataclass
class Augmentation:
    """Training-time augmentation, drawn from a seeded generator (deterministic)."""

    prefix_probability: float = 0.5     # chance a conversation is cut to a random prefix (streaming)
    modality_dropout: float = 0.1       # chance a present modality is hidden for one turn (if the other stays)
    pair_probability: float = 0.0       # chance a conversation's one-modality turns get a neutral partner


# Punctuation that usually carries emotion in a transcript; a text donor must have none of it.
_EMOTIVE_PUNCTUATION = ("!", "?")


@dataclass
class NeutralDonors:
    """Emotion-free partners for paired-modality augmentation (docs/training.md, "Paired modalities").

    The training data has no turn with both modalities (MELD here is text-only, EmoDB speech-only), so
    the gate never learns which modality to trust. Giving a text-only turn a *neutral* voice, and a
    speech-only turn a *neutral* transcript, makes a pair whose emotion lives in one modality only;
    the turn keeps that modality's label.
    """

    speech: np.ndarray   # [N, Ds] speech of speech-only turns labelled neutral (EmoDB neutral + boredom)
    text: np.ndarray     # [M, Dt] text of text-only turns labelled neutral, no "!" or "?"

    @classmethod
    def from_conversations(cls, conversations: Sequence[Conversation], neutral: int = 0,
                           any_speech: bool = False) -> "NeutralDonors":
        """``any_speech``: speech donors of every label (a contradicting voice), not only neutral ones."""
        speech, text = [], []
        for c in conversations:
            for i in range(len(c)):
                if c.speech_mask[i] > 0 and c.text_mask[i] == 0 and c.labels[i] >= 0 and any_speech:
                    speech.append(c.speech[i])
                if c.labels[i] != neutral:
                    continue
                if c.speech_mask[i] > 0 and c.text_mask[i] == 0 and not any_speech:
                    speech.append(c.speech[i])
                if c.text_mask[i] > 0 and c.speech_mask[i] == 0:
                    words = c.texts[i] if c.texts is not None else ""
                    if words.strip() and not any(p in words for p in _EMOTIVE_PUNCTUATION):
                        text.append(c.text[i])
        dt = conversations[0].text.shape[1] if conversations else 0
        ds = conversations[0].speech.shape[1] if conversations else 0
        return cls(np.asarray(speech, np.float32).reshape(-1, ds), np.asarray(text, np.float32).reshape(-1, dt))

    def summary(self) -> str:
        return f"pairing donors: {len(self.speech)} speech, {len(self.text)} neutral text"


def pair_modalities(c: Conversation, donors: NeutralDonors, rng: np.random.Generator) -> Conversation:
    """Gives every one-modality turn of the conversation a neutral partner for the missing modality."""
    text_only = (c.text_mask > 0) & (c.speech_mask == 0)
    speech_only = (c.speech_mask > 0) & (c.text_mask == 0)
    give_speech = text_only & (len(donors.speech) > 0)
    give_text = speech_only & (len(donors.text) > 0)
    if not (give_speech.any() or give_text.any()):
        return c
    text, speech = c.text.copy(), c.speech.copy()
    n_s, n_t = int(give_speech.sum()), int(give_text.sum())
    if n_s:
        speech[give_speech] = donors.speech[rng.integers(0, len(donors.speech), n_s)]
    if n_t:
        text[give_text] = donors.text[rng.integers(0, len(donors.text), n_t)]
    tm = np.maximum(c.text_mask, give_text.astype(np.float32))
    sm = np.maximum(c.speech_mask, give_speech.astype(np.float32))
    return Conversation(c.conversation_id, text, speech, tm, sm, c.labels, c.texts,
                        give_text.astype(np.float32), give_speech.astype(np.float32))


def training_batches(conversations: Sequence[Conversation], batch_size: int, rng: np.random.Generator,
                     aug: Augmentation, donors: Optional[NeutralDonors] = None) -> Iterable[Batch]:
    """One epoch: a seeded shuffle, random prefix truncation, paired-modality augmentation (when
    ``aug.pair_probability`` > 0 and donors are given) and modality dropout, then batches."""
    order = rng.permutation(len(conversations))
    pairing = donors is not None and aug.pair_probability > 0
    for start in range(0, len(order), batch_size):
        chosen = []
        for i in order[start:start + batch_size]:
            c = conversations[i]
            if len(c) > 1 and rng.random() < aug.prefix_probability:
                c = c.prefix(int(rng.integers(1, len(c) + 1)))
            # Without pairing no random number is drawn here, so older recipes reproduce exactly.
            if pairing and rng.random() < aug.pair_probability:
                c = pair_modalities(c, donors, rng)
            if aug.modality_dropout > 0:
                c = _drop_modalities(c, rng, aug.modality_dropout)
            chosen.append(c)
        yield collate(chosen)


def _drop_modalities(c: Conversation, rng: np.random.Generator, p: float) -> Conversation:
    both = (c.text_mask > 0) & (c.speech_mask > 0)
    draw = rng.random(len(c))
    side = rng.random(len(c)) < 0.5
    hide_text = both & (draw < p) & side
    hide_speech = both & (draw < p) & ~side
    if not (hide_text.any() or hide_speech.any()):
        return c
    tm, sm = c.text_mask * ~hide_text, c.speech_mask * ~hide_speech
    return Conversation(c.conversation_id, c.text * tm[:, None], c.speech * sm[:, None], tm.astype(np.float32),
                        sm.astype(np.float32), c.labels, c.texts, c.text_donated, c.speech_donated)


def evaluation_batches(conversations: Sequence[Conversation], batch_size: int) -> Iterable[Tuple[List[int], Batch]]:
    for start in range(0, len(conversations), batch_size):
        idx = list(range(start, min(start + batch_size, len(conversations))))
        yield idx, collate([conversations[i] for i in idx])
