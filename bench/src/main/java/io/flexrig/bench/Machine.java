package io.flexrig.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine and JVM a figure was measured on, printed by every benchmark so a number never
 * travels without its context.
 */
public final class Machine {

  private Machine() {}

  /** Cores, RAM, CPU model, OS, JVM version and the JVM's input arguments, one per line. */
  public static String describe() {
    Runtime rt = Runtime.getRuntime();
    List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
    return String.format(
        Locale.ROOT,
        "machine: %d cores, %.1f GiB RAM, CPU %s, %s %s (%s)%n"
            + "jvm: %s %s (%s), max heap %d MiB%n"
            + "jvm flags: %s%n"
            + "load average now (1/5/15 min, other processes on this machine): %s",
        rt.availableProcessors(),
        memTotalKib() / 1024.0 / 1024.0,
        cpuModel(),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"),
        rt.maxMemory() / (1024 * 1024),
        flags.isEmpty() ? "(none)" : String.join(" ", flags),
        loadAverage());
  }

  /** Prints {@link #describe()} to standard output under a header. */
  public static void print(String benchmark) {
    System.out.println("== " + benchmark);
    System.out.println(describe());
    System.out.flush();
  }

  /** The 1, 5 and 15 minute load averages: a busy machine makes every figure worse. */
  public static String loadAverage() {
    List<String> l = lines(Path.of("/proc/loadavg"));
    if (l.isEmpty()) {
      return "unknown";
    }
    String[] f = l.getFirst().split(" ");
    return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : l.getFirst();
  }

  static String cpuModel() {
    for (String line : lines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).strip();
      }
    }
    return System.getProperty("os.arch");
  }

  static long memTotalKib() {
    for (String line : lines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }
}
