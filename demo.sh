#!/usr/bin/env bash
# Builds Flexrig (tests skipped) and runs the demo: a fleet controller and 20 simulated rigs of
# mixed models in one process, a curtailment event, the site power before, during and after it.
# Extra arguments go to the demo (try --help).
set -euo pipefail
cd "$(dirname "$0")"
. ./flexrig-env.sh
mvn -B -q -ntp -Dstyle.color=never -DskipTests -Dspotless.check.skip=true package
exec "$JAVA_HOME/bin/java" $FLEXRIG_JAVA_FLAGS -jar demo/target/flexrig-demo.jar "$@"
