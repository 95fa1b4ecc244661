package io.flexrig.agent.source.gpu;

import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * GPU telemetry from {@code nvidia-smi}, run as a child process per sample with a timeout (a hung
 * driver makes nvidia-smi hang; the process is then killed and the sample fails).
 *
 * <p>Readings per GPU i: {@code <role>.gpu<i>.power} (W), {@code .power_limit} (W), {@code
 * .temperature} (C), {@code .utilization} (%), {@code .clock_sm} and {@code .clock_mem} (MHz);
 * fields the GPU does not report are BAD. {@code <role>} is the total board power of all GPUs: GOOD
 * when every GPU reported it, UNCERTAIN when only some did, BAD when none did.
 */
public final class NvidiaSmiSource implements PolledSource {
  /** nvidia-smi's output for 8 GPUs is about 1 kB; anything near this is not our CSV. */
  static final int MAX_OUTPUT_BYTES = 64 * 1024;

  private final String role;
  private final List<String> command;
  private final Duration timeout;
  private final Clock clock;

  /**
   * @param executable path or name of nvidia-smi
   * @param gpu one GPU index, or empty for all
   */
  public NvidiaSmiSource(
      String role, String executable, OptionalInt gpu, Duration timeout, Clock clock) {
    this.role = role;
    this.timeout = timeout;
    this.clock = clock;
    List<String> c = new ArrayList<>(4);
    c.add(executable);
    c.add("--query-gpu=" + NvidiaSmiCsv.QUERY);
    c.add("--format=csv,noheader,nounits");
    gpu.ifPresent(i -> c.add("--id=" + i));
    this.command = List.copyOf(c);
  }

  /** The command line run per sample. */
  public List<String> command() {
    return command;
  }

  @Override
  public String name() {
    return role;
  }

  @Override
  public List<Reading> sample() throws IOException {
    String output = run();
    Instant at = clock.instant();
    List<GpuStats> gpus = NvidiaSmiCsv.parse(output);
    if (gpus.isEmpty()) {
      throw new NvidiaSmiException("nvidia-smi listed no GPU");
    }
    return readings(role, gpus, at);
  }

  /** The readings for parsed GPU lines; pure, public for the probe and tests. */
  public static List<Reading> readings(String role, List<GpuStats> gpus, Instant at) {
    List<Reading> out = new ArrayList<>(1 + gpus.size() * 6);
    double total = 0;
    int withPower = 0;
    for (GpuStats g : gpus) {
      String p = role + ".gpu" + g.index();
      out.add(reading(p + ".power", g.powerDrawW(), "W", at));
      out.add(reading(p + ".power_limit", g.powerLimitW(), "W", at));
      out.add(reading(p + ".temperature", g.temperatureC(), "C", at));
      out.add(reading(p + ".utilization", g.utilizationPercent(), "%", at));
      out.add(reading(p + ".clock_sm", g.smClockMhz(), "MHz", at));
      out.add(reading(p + ".clock_mem", g.memClockMhz(), "MHz", at));
      if (!Double.isNaN(g.powerDrawW())) {
        total += g.powerDrawW();
        withPower++;
      }
    }
    Reading sum;
    if (withPower == 0) {
      sum = Reading.bad(role, "W", at);
    } else {
      Quality q = withPower == gpus.size() ? Quality.GOOD : Quality.UNCERTAIN;
      sum = new Reading(role, total, "W", q, at);
    }
    out.addFirst(sum);
    return out;
  }

  private static Reading reading(String name, double value, String unit, Instant at) {
    return Double.isNaN(value) ? Reading.bad(name, unit, at) : Reading.good(name, value, unit, at);
  }

  private String run() throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new NvidiaSmiException("cannot run " + command.getFirst() + ": " + e.getMessage());
    }
    try {
      // The output is far smaller than a pipe buffer, so waiting before reading cannot deadlock.
      boolean exited;
      try {
        exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted waiting for nvidia-smi");
      }
      if (!exited) {
        throw new NvidiaSmiException(
            "nvidia-smi did not finish within " + timeout.toMillis() + " ms; killed");
      }
      String output = readBounded(process.getInputStream());
      if (process.exitValue() != 0) {
        String first = output.strip().lines().findFirst().orElse("(no output)");
        throw new NvidiaSmiException(
            "nvidia-smi exited with " + process.exitValue() + ": " + first);
      }
      return output;
    } finally {
      process.destroyForcibly();
      process.getInputStream().close();
    }
  }

  private static String readBounded(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_OUTPUT_BYTES + 1);
    if (bytes.length > MAX_OUTPUT_BYTES) {
      throw new NvidiaSmiException("nvidia-smi output exceeds " + MAX_OUTPUT_BYTES + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    // nothing held between samples
  }

  @Override
  public String toString() {
    return "NvidiaSmiSource[" + role + "]";
  }
}
