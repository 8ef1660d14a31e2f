#!/usr/bin/env bash
# Refits the standardisation statistics shipped with the mister-prosody speech encoder
# (encoders/src/main/resources/io/mister/encoder/speech/prosody-standardization.json)
# on the EmoDB training speakers in ../shared/data/emodb. Run from the repository root.
# Change the features => run this, bump ProsodySpeechEncoder.ID's version, re-run the evaluation.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -o -pl encoders -am compile
mvn -B -q -o -pl encoders dependency:build-classpath -Dmdep.outputFile="$PWD/encoders/target/encoders.classpath" >/dev/null
java -cp "encoders/target/classes:schemas/target/classes:inference/target/classes:$(cat encoders/target/encoders.classpath)" \
  io.mister.encoder.speech.StandardizationFitter "$@"
