# Sourced by the project's scripts: picks a JDK that can build Java 21 bytecode (JDK 21+),
# preferring an already-set JAVA_HOME, then Temurin 25 where Debian images install it.
flexrig_pick_java_home() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      # JDK 23+ warns on every sun.misc.Unsafe use (Maven's own Guava, Netty); allow it quietly.
      FLEXRIG_JAVA_FLAGS="--enable-native-access=ALL-UNNAMED"
      if [ "${version%%.*}" -ge 23 ]; then
        FLEXRIG_JAVA_FLAGS="$FLEXRIG_JAVA_FLAGS --sun-misc-unsafe-memory-access=allow"
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      fi
      export FLEXRIG_JAVA_FLAGS
      return 0
    fi
  done
  echo "flexrig: no JDK 21+ found; install Temurin JDK 25 or set JAVA_HOME to one" >&2
  return 1
}
flexrig_pick_java_home
