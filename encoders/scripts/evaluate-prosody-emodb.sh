#!/usr/bin/env bash
# Speaker-independent (leave-one-speaker-out) 7-class emotion accuracy of the mister-prosody
# features on the EmoDB speakers in ../shared/data/emodb (logistic regression and nearest centroid).
# Prints Markdown tables. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -o -pl encoders -am compile
mvn -B -q -o -pl encoders dependency:build-classpath -Dmdep.outputFile="$PWD/encoders/target/encoders.classpath" >/dev/null
java -cp "encoders/target/classes:schemas/target/classes:inference/target/classes:$(cat encoders/target/encoders.classpath)" \
  io.mister.encoder.speech.EmoDbEvaluation "$@"
