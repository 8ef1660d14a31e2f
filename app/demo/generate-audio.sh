#!/usr/bin/env bash
# Generates the demo's audio: one 16 kHz mono 16-bit WAV per spoken turn of
# app/src/main/resources/demo/conversations.yaml, synthesised with espeak-ng and resampled with sox.
# The voice is the conversation's per-speaker voice; pitch, speed and loudness follow the turn's
# intended emotion (angry: loud and fast, sad: low, slow and quiet, ...), so the speech encoder has
# real prosody to measure. Chat conversations get no audio. The 21 files total ~3 MB, over the
# repository's 2 MB limit for binaries, so they are generated at demo time (bin/demo) and not committed.
#
#   app/demo/generate-audio.sh [OUT_DIR]     (default: app/target/demo-audio)
#
# Needs: espeak-ng, sox (Debian packages, bin/setup installs them) and python3 (PyYAML if present).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
YAML="$ROOT/app/src/main/resources/demo/conversations.yaml"
OUT="${1:-$ROOT/app/target/demo-audio}"
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "generate-audio.sh: $tool is required (apt-get install espeak-ng sox)" >&2; exit 1; }
done
mkdir -p "$OUT"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

# emotion -> espeak-ng pitch (0-99), speed (words/min), amplitude (0-200)
/usr/bin/python3 - "$YAML" > "$TMP/turns.tsv" <<'PY'
import re, sys
prosody = {"neutral": (50, 160, 100), "joy": (78, 185, 120), "surprise": (88, 175, 125),
           "anger": (38, 195, 150), "sadness": (28, 115, 65), "disgust": (32, 135, 110), "fear": (72, 205, 85)}
def load(path):
    try:
        import yaml
        return yaml.safe_load(open(path))
    except ImportError:
        # Without PyYAML: the bundled file's own simple layout (one conversation key or one turn per line).
        doc, conv = {"conversations": []}, None
        for line in open(path, encoding="utf-8"):
            if m := re.match(r"\s*- id: (\S+)", line):
                conv = {"id": m.group(1), "turns": []}
                doc["conversations"].append(conv)
            elif m := re.match(r"\s*channel: (\S+)", line):
                conv["channel"] = m.group(1)
            elif m := re.match(r"\s*voices: \{agent: \"([^\"]+)\", customer: \"([^\"]+)\"\}", line):
                conv["voices"] = {"agent": m.group(1), "customer": m.group(2)}
            elif m := re.match(r"\s*- \{speaker: (\w+), emotion: (\w+), text: \"(.*)\"\}\s*$", line):
                conv["turns"].append({"speaker": m.group(1), "emotion": m.group(2), "text": m.group(3)})
        return doc

doc = load(sys.argv[1])
for conv in doc["conversations"]:
    if conv.get("channel") == "chat":
        continue
    for i, turn in enumerate(conv["turns"]):
        pitch, speed, amp = prosody[turn["emotion"]]
        voice = conv["voices"][turn["speaker"]]
        print("\t".join([f"{conv['id']}-{i:02d}", voice, str(pitch), str(speed), str(amp), turn["text"]]))
PY

count=0
while IFS=$'\t' read -r name voice pitch speed amp text; do
  espeak-ng -v "$voice" -p "$pitch" -s "$speed" -a "$amp" -w "$TMP/$name.wav" "$text"
  # 16 kHz mono 16-bit, 120 ms of silence at both ends as a real turn segmenter would leave.
  sox -V1 "$TMP/$name.wav" -r 16000 -c 1 -b 16 "$OUT/$name.wav" pad 0.12 0.12
  count=$((count + 1))
done < "$TMP/turns.tsv"
echo "generate-audio.sh: wrote $count WAV files to $OUT ($(du -sh "$OUT" | cut -f1))"
