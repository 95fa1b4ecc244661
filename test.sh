#!/usr/bin/env bash
# Runs every test of every module (unit, integration, end to end, the reliability suite and a
# bounded Jazzer fuzzing run per target), the formatter check included, then prints the figures the
# reliability suite recorded (faults injected, samples sent/stored/lost, inputs tried).
# Extra arguments go to Maven; `./test.sh -Dfuzz=` is not a way to skip fuzzing, `-P!fuzz` is.
set -uo pipefail
cd "$(dirname "$0")"
. ./flexrig-env.sh
mkdir -p target
rm -f target/suite-figures.tsv
mvn -B -ntp verify -Dfuzz "$@" 2>&1 | tee target/test.log
status=${PIPESTATUS[0]}
scripts/suite-report.sh target/suite-figures.tsv target/test.log || true
exit "$status"
