#!/usr/bin/env bash
# Builds Flexrig (tests skipped) and runs the demo: a fleet controller and 20 simulated rigs of
# mixed models in one process, a curtailment event, the site power before, during and after it.
# Extra arguments go to the demo (try --help).
set -euo pipefail
cd "$(dirname "$0")"
. ./flexrig-env.sh
echo "Building Flexrig (tests skipped; ./test.sh runs them)..."
mkdir -p target
if ! mvn -B -ntp -Dstyle.color=never -DskipTests -Dspotless.check.skip=true -pl demo -am package > target/demo-build.log 2>&1; then
  tail -50 target/demo-build.log
  echo "demo: the build failed; the whole log is in target/demo-build.log" >&2
  exit 1
fi
exec "$JAVA_HOME/bin/java" $FLEXRIG_JAVA_FLAGS -jar demo/target/flexrig-demo.jar "$@"
