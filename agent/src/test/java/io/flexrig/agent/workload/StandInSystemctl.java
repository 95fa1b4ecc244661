package io.flexrig.agent.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code systemctl} shell script for one unit: {@code start}/{@code stop} switch the unit on and
 * off, {@code show} answers {@code ActiveState} and {@code NRestarts} as systemd does, and every
 * call is logged so a test can see what the agent ran.
 */
final class StandInSystemctl {
  private final Path script;
  private final Path calls;
  private final Path active;
  private final Path restarts;

  StandInSystemctl(Path dir) throws IOException {
    script = dir.resolve("systemctl");
    calls = dir.resolve("systemctl-calls");
    active = dir.resolve("unit-active");
    restarts = dir.resolve("unit-restarts");
    Files.writeString(
        script,
        String.join(
            "\n",
            "#!/bin/sh",
            "echo \"$*\" >> '" + calls + "'",
            "case \"$1\" in",
            "  start) touch '" + active + "' ;;",
            "  stop) rm -f '" + active + "' ;;",
            "  show)",
            "    if [ -e '"
                + active
                + "' ]; then echo ActiveState=active;"
                + " else echo ActiveState=failed; fi",
            "    if [ -e '"
                + restarts
                + "' ]; then echo \"NRestarts=$(cat '"
                + restarts
                + "')\";"
                + " else echo 'NRestarts=[not set]'; fi ;;",
            "esac",
            ""));
    script.toFile().setExecutable(true);
  }

  String path() {
    return script.toString();
  }

  /** The arguments of every call so far, one line per call. */
  List<String> calls() throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  /** The unit starts or stops behind the agent's back (a crash, an operator). */
  void unitActive(boolean on) throws IOException {
    if (on) {
      Files.writeString(active, "");
    } else {
      Files.deleteIfExists(active);
    }
  }

  /** Systemd's restart counter of the unit. */
  void restarts(int count) throws IOException {
    Files.writeString(restarts, Integer.toString(count));
  }
}
