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
# The agent's own runtime closure, nothing of the controller or the benchmarks. With `package` in
# the same run, so that modules never installed in ~/.m2 resolve from the reactor; every module
# writes the file in turn and the last one built (agent, then bench) wins.
mvn "${q[@]}" -pl agent -am package dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$PWD/bench/target/agent.classpath"
mvn "${q[@]}" -pl bench -am package dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$PWD/bench/target/bench.classpath"
# Within the reactor the modules' own jars (as the deb ships them; AppCDS archives only jars, no
# class directories), not the snapshots installed in ~/.m2.
sed -E -i "s#[^:]*/io/flexrig/flexrig-([a-z]+)/[^/]+/(flexrig-[a-z]+-[^/:]+\.jar)#$PWD/\1/target/\2#g" \
  bench/target/agent.classpath
sed -E -i "s#[^:]*/io/flexrig/flexrig-([a-z]+)/[^/]+/flexrig-[a-z]+-[^/:]+\.jar#$PWD/\1/target/classes#g" \
  bench/target/bench.classpath
# The simulated board has no /dev/i2c-*: Pi4J's auto context keeps only the highest-priority I2C
# provider (linuxfs), which would hide the simulator's, so the board's INA226 would never be read.
sed -E -i 's#:[^:]*/pi4j-plugin-linuxfs-[^:]*\.jar##' bench/target/agent.classpath
# BoardAgentMain alone, in a jar of its own: the agent's class path gets nothing else of the bench.
"$JAVA_HOME/bin/jar" --create --file bench/target/footprint-board.jar \
  -C bench/target/classes io/flexrig/bench/footprint/BoardAgentMain.class
slf4j_simple=$(tr ':' '\n' < bench/target/bench.classpath | grep '/slf4j-simple-' | head -1)
sim_jar=$(ls "$PWD"/sim/target/flexrig-sim-*.jar | head -1)
# agent + its dependencies + the simulator's Pi4J I2C plugin + BoardAgentMain + a log binding
agent_cp="$(ls "$PWD"/agent/target/flexrig-agent-*.jar | head -1):$(cat bench/target/agent.classpath)"
agent_cp="$agent_cp:$sim_jar:$PWD/bench/target/footprint-board.jar:$slf4j_simple"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/classes:$(cat bench/target/bench.classpath)" \
  io.flexrig.bench.footprint.AgentFootprint --agent-classpath "$agent_cp" "$@"
