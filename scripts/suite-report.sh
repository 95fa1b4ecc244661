#!/usr/bin/env bash
# Prints the reliability suite's figures: those the tests recorded (tab-separated test, figure,
# value; see io.flexrig.testkit.SuiteFigures) and the inputs each Jazzer target tried, taken from
# the build log (libFuzzer prints "Done N runs in S second(s)" at the end of each fuzzing run).
set -euo pipefail
figures=${1:-target/suite-figures.tsv}
log=${2:-target/test.log}

echo
echo "== Reliability suite figures =="
if [[ -s $figures ]]; then
  awk -F'\t' '{ printf "  %-34s %-44s %s\n", $1, $2, $3 }' "$figures"
else
  echo "  (no figures recorded: $figures is missing or empty)"
fi
if [[ -s $log ]]; then
  awk '
    match($0, /\(fuzz-[a-z0-9-]+\)/) { target = substr($0, RSTART + 6, RLENGTH - 7) }
    match($0, /Done [0-9]+ runs in [0-9]+ second/) {
      split(substr($0, RSTART, RLENGTH), w, " ")
      printf "  %-34s %-44s %s\n", "Jazzer " target, "inputs tried in " w[5] " s", w[2]
      total += w[2]
    }
    END { if (total) printf "  %-34s %-44s %d\n", "Jazzer (all targets)", "inputs tried", total }
  ' "$log"
fi
# A finding of the random exploration does not fail the build (see the fuzz profile); it is shown
# here, and Jazzer has kept the input as a crash-* file: commit it as a seed once fixed.
findings=0
for report in */target/fuzz-reports/*/TEST-*.xml; do
  [[ -e $report ]] || continue
  if grep -q '<error\|<failure' "$report"; then
    findings=$((findings + 1))
    target=$(basename "$(dirname "$report")")
    printf '  %-34s %s\n' "Jazzer $target" "FINDING: see ${report%/*}/ and the crash-* input Jazzer kept"
  fi
done
if ((findings > 0)); then
  echo "  $findings fuzzing finding(s): the build passed, the code did not; fix them and commit the inputs as seeds"
fi
