"""Builds MELD-format conversations from EmoDB so that `bin/mister encode` can encode them.

    /usr/bin/python3 training/tools/emodb_conversations.py --emodb ../shared/data/emodb --out training/runs/meld/emodb

Writes OUT/train_sent_emo.csv + OUT/train_audio/ (speakers 03, 08, 09, 10, 11, 12) and
OUT/eval_sent_emo.csv + OUT/eval_audio/ (speaker 13, held out: never trained or selected on).
Columns are MELD's; `Utterance` is empty (EmoDB's German sentences are emotionally neutral by design
and the text encoder is English, so these turns carry speech only); audio files are symbolic links
named `dia{Dialogue_ID}_utt{Utterance_ID}.wav`, MELD's own naming, pointing into the EmoDB folder.

Conversations: each speaker's utterances in a seeded random order, cut into conversations of
--min-turns..--max-turns turns (one speaker per conversation; EmoDB has no dialogues, so the
context modules see independent turns here). Labels are mapped to MELD's:
anger->anger, happiness->joy, sadness->sadness, fear->fear, disgust->disgust, neutral->neutral,
boredom->neutral (default; --boredom drop removes those turns). MELD's surprise has no EmoDB
counterpart. Dialogue ids start at --first-dialogue so they never collide with MELD's.
"""
from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

import numpy as np

TRAIN_SPEAKERS = ("03", "08", "09", "10", "11", "12")
EVAL_SPEAKERS = ("13",)
EMOTION_TO_MELD = {"anger": "anger", "happiness": "joy", "sadness": "sadness", "fear": "fear",
                   "disgust": "disgust", "neutral": "neutral", "boredom": "neutral"}
SENTIMENT = {"anger": "negative", "sadness": "negative", "fear": "negative", "disgust": "negative",
             "joy": "positive", "neutral": "neutral"}
MELD_COLUMNS = ["Sr No.", "Utterance", "Speaker", "Emotion", "Sentiment", "Dialogue_ID", "Utterance_ID",
                "Season", "Episode", "StartTime", "EndTime"]


def read_labels(emodb: Path):
    with open(emodb / "labels.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def clock(ms: int) -> str:
    s, ms = divmod(ms, 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def build(rows, speakers, emodb: Path, out_csv: Path, audio_dir: Path, rng, min_turns, max_turns,
          boredom: str, first_dialogue: int) -> dict:
    audio_dir.mkdir(parents=True, exist_ok=True)
    dialogue, serial, counts = first_dialogue, 0, {}
    with open(out_csv, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(MELD_COLUMNS)
        for speaker in speakers:
            mine = [r for r in rows if r["speaker"] == speaker and not (boredom == "drop" and r["emotion"] == "boredom")]
            mine.sort(key=lambda r: r["file"])          # a stable base order before the seeded shuffle
            order = rng.permutation(len(mine))
            i = 0
            while i < len(order):
                n = int(rng.integers(min_turns, max_turns + 1))
                for turn, k in enumerate(order[i:i + n]):
                    r = mine[k]
                    label = EMOTION_TO_MELD[r["emotion"]]
                    serial += 1
                    link = audio_dir / f"dia{dialogue}_utt{turn}.wav"
                    if link.is_symlink() or link.exists():
                        link.unlink()
                    os.symlink((emodb / r["file"]).resolve(), link)
                    w.writerow([serial, "", f"emodb-{speaker}", label, SENTIMENT[label], dialogue, turn, 0, 0,
                                clock(turn * 2500), clock(turn * 2500 + 2000)])
                    counts[label] = counts.get(label, 0) + 1
                dialogue += 1
                i += n
    return {"csv": str(out_csv), "audio_dir": str(audio_dir), "dialogues": dialogue - first_dialogue,
            "utterances": serial, "labels": counts, "next_dialogue": dialogue}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--emodb", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--min-turns", type=int, default=5)
    p.add_argument("--max-turns", type=int, default=12)
    p.add_argument("--boredom", choices=["neutral", "drop"], default="neutral")
    p.add_argument("--first-dialogue", type=int, default=100000)
    p.add_argument("--seed", type=int, default=5)
    a = p.parse_args(argv)
    rows = read_labels(a.emodb)
    rng = np.random.default_rng(a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    train = build(rows, TRAIN_SPEAKERS, a.emodb, a.out / "train_sent_emo.csv", a.out / "train_audio", rng,
                  a.min_turns, a.max_turns, a.boredom, a.first_dialogue)
    held = build(rows, EVAL_SPEAKERS, a.emodb, a.out / "eval_sent_emo.csv", a.out / "eval_audio", rng,
                 a.min_turns, a.max_turns, a.boredom, train["next_dialogue"])
    for name, s in (("train (speakers " + ",".join(TRAIN_SPEAKERS) + ")", train),
                    ("eval (speaker " + ",".join(EVAL_SPEAKERS) + ")", held)):
        print(f"{name}: {s['dialogues']} conversations, {s['utterances']} utterances, {s['labels']} -> {s['csv']}")


if __name__ == "__main__":
    main()
