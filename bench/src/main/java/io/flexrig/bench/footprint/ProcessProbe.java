package io.flexrig.bench.footprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a Linux process's resident memory, CPU time and thread count from {@code /proc}. */
final class ProcessProbe {

  /** Clock ticks per second of {@code utime}/{@code stime} (USER_HZ, 100 on Linux). */
  static final double TICKS_PER_SECOND = 100;

  private final long pid;

  ProcessProbe(long pid) {
    this.pid = pid;
  }

  long pid() {
    return pid;
  }

  /** Resident set size in KiB (VmRSS), or -1 when the process is gone. */
  long rssKib() {
    return statusField("VmRSS:");
  }

  /** Threads (the Threads: line of /proc/PID/status), or -1 when the process is gone. */
  long threads() {
    return statusField("Threads:");
  }

  /** User plus system CPU time in seconds, or NaN when the process is gone. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may contain spaces: fields are counted after its ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  long statusField(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }
}
