package io.flexrig.bench.fleet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process's threads, grouped by role: on a machine shared with other work the
 * samples per second fall with the load, but the CPU each sample costs does much less, so it is the
 * figure to compare between versions.
 */
final class ThreadCpu {

  private ThreadCpu() {}

  /** Nanoseconds of CPU so far per group of threads, plus "process" for the whole JVM. */
  static Map<String, Long> byGroup() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new TreeMap<>();
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long ns = mx.getThreadCpuTime(t.getThreadId());
      if (ns > 0) {
        out.merge(group(t.getThreadName()), ns, Long::sum);
      }
    }
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      out.put("process", os.getProcessCpuTime());
    }
    return out;
  }

  private static String group(String name) {
    if (name.startsWith("store-writer")) {
      return "store-writer";
    }
    if (name.startsWith("store-commits")) {
      return "store-commits";
    }
    if (name.startsWith("grpc-default-worker") || name.startsWith("grpc-default-boss")) {
      return "controller netty";
    }
    if (name.startsWith("grpc-")) {
      return "controller grpc-app";
    }
    if (name.startsWith("sim-")) {
      return "load generator";
    }
    if (name.contains("GC") || name.contains("Compiler") || name.startsWith("C1 ")) {
      return "jvm (gc, jit)";
    }
    return "other";
  }

  /** "process 41.2 us, store-writer 3.1 us, ..." between two readings, per sample acked. */
  static String perSample(Map<String, Long> before, Map<String, Long> after, long samples) {
    if (samples <= 0) {
      return "no samples";
    }
    Map<String, Long> delta = new LinkedHashMap<>();
    delta.put("process", after.getOrDefault("process", 0L) - before.getOrDefault("process", 0L));
    for (var e : after.entrySet()) {
      if (!e.getKey().equals("process")) {
        delta.put(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (var e : delta.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(String.format(Locale.ROOT, "%s %.1f us", e.getKey(), e.getValue() / 1e3 / samples));
    }
    return sb.toString();
  }
}
