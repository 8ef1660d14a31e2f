#!/usr/bin/env bash
# CI smoke test of the training kit (< 3 minutes on 2 cores): the unit specifications, tiny
# synthetic embeddings, one epoch of training, ONNX export, onnx.checker, and the committed test
# fixtures regenerated bit-for-bit-equivalent (parity outputs within tolerance).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
PY=/usr/bin/python3
if ! "$PY" -c "import torch, onnx, avro, sklearn, tqdm" 2>/dev/null; then
  echo "ci-smoke: installing the Debian Python packages (no PyPI here)"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    python3-torch python3-onnx python3-sklearn python3-avro python3-tqdm python3-pytest >/dev/null
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mister-ci-smoke.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
start=$SECONDS

echo "== ci-smoke: unit specifications"
if "$PY" -c "import pytest" 2>/dev/null; then
  "$PY" -m pytest -q -p no:cacheprovider training/tests
else
  (cd training && "$PY" -m unittest discover -s tests -q)
fi

echo "== ci-smoke: tiny synthetic data, one epoch, export"
"$PY" training/tools/write_embeddings.py --task separable --labels neutral,joy,surprise,anger,sadness,disgust,fear \
  --text-dim 16 --speech-dim 8 --train 24 --dev 6 --test 0 --out-dir "$WORK/data"
"$PY" training/train.py --train "$WORK/data/train.avro" --dev "$WORK/data/dev.avro" --out "$WORK/run" \
  --epochs 1 --conv-channels 8 --gru-hidden 8 --attn-dim 8 --attn-heads 2 --classifier-hidden 8 \
  --projection-dim 4 --quiet --export "$WORK/smoke.onnx" --model-version smoke-1 --trained-on "ci smoke"

echo "== ci-smoke: onnx.checker and the contract's names and metadata"
"$PY" - "$WORK/smoke.onnx" <<'PY'
import sys
import onnx
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
assert [i.name for i in m.graph.input] == ["text", "speech", "text_mask", "speech_mask", "valid"], m.graph.input
assert [o.name for o in m.graph.output] == ["probs", "gate", "expert_probs"], m.graph.output
meta = {p.key: p.value for p in m.metadata_props}
for key in ("labels", "text_encoder", "text_dim", "speech_encoder", "speech_dim", "model_version", "context",
            "trained_on", "evaluation"):
    assert key in meta, key
print("ok:", {k: meta[k] for k in ("labels", "text_encoder", "text_dim", "model_version", "context")})
PY

echo "== ci-smoke: the committed processor fixtures are what make_fixture.py writes"
"$PY" training/make_fixture.py --out "$WORK/fixtures" >/dev/null
"$PY" training/tools/compare_parity.py processor/src/test/resources/models/tiny-head-parity.json "$WORK/fixtures/tiny-head-parity.json"
echo "== ci-smoke: passed in $((SECONDS - start)) s"
