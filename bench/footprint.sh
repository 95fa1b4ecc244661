#!/usr/bin/env bash
# Agent footprint: builds the agent's runtime classpath, then runs io.flexrig.bench.footprint.AgentFootprint
# (real AgentMain child JVMs with several flag sets against a simulated site and a real controller,
# Prometheus node_exporter beside them if installed). Extra arguments go to AgentFootprint, e.g.
#   bench/footprint.sh --warmup-s 30 --window-s 300
set -euo pipefail
cd "$(dirname "$0")/.."
. ./flexrig-env.sh
q=(-o -q -DskipTests -Dspotless.check.skip=true)
mvn "${q[@]}" -pl bench -am package
# The agent's own runtime closure, nothing of the controller or the benchmarks.
mvn "${q[@]}" -pl agent -am dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$PWD/bench/target/agent.classpath"
mvn "${q[@]}" -pl bench -am dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$PWD/bench/target/bench.classpath"
# Within the reactor the modules' own classes, not the snapshots installed in ~/.m2.
for f in bench/target/agent.classpath bench/target/bench.classpath; do
  sed -E -i "s#[^:]*/io/flexrig/flexrig-([a-z]+)/[^/]+/flexrig-[a-z]+-[^/:]+\.jar#$PWD/\1/target/classes#g" "$f"
done
slf4j_simple=$(tr ':' '\n' < bench/target/bench.classpath | grep '/slf4j-simple-' | head -1)
# agent + its dependencies + the simulator's Pi4J I2C plugin + BoardAgentMain + a log binding
agent_cp="agent/target/classes:$(cat bench/target/agent.classpath):sim/target/classes:bench/target/classes:$slf4j_simple"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/classes:$(cat bench/target/bench.classpath)" \
  io.flexrig.bench.footprint.AgentFootprint --agent-classpath "$agent_cp" "$@"
