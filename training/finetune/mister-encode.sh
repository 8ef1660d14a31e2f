#!/usr/bin/env bash
# `mister encode ARGS`: bin/mister's own `encode` when its CLI registers it, else the packaged app's
# EncodeCommand run directly (training/finetune/tools/EncodeStandIn.java, java source launcher).
# MISTER overrides bin/mister.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
MISTER="${MISTER:-$REPO/bin/mister}"
if "$MISTER" --help 2>/dev/null | grep -q "^  encode "; then
  exec "$MISTER" encode "$@"
fi
exec java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.mister.events \
  -cp "$REPO/app/target/mister-app.jar:$REPO/app/target/lib/*" \
  "$REPO/training/finetune/tools/EncodeStandIn.java" "$@"
