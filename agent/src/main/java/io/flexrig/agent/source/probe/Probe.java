package io.flexrig.agent.source.probe;

import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.Source;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDrivers;
import io.flexrig.agent.source.StreamingSource;
import io.flexrig.agent.source.i2c.I2cChip;
import io.flexrig.agent.source.i2c.I2cScan;
import io.flexrig.agent.source.i2c.Pi4jI2c;
import io.flexrig.agent.source.opcua.OpcUaNodeSource;
import io.flexrig.agent.source.opcua.OpcUaSession;
import io.flexrig.core.profile.SensorSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The technician's probe: opens every sensor of a rig once, samples it once, and says what works
 * and what to fix. It never drives an output (the PSU relay, a fan's PWM) and never writes to a
 * chip it cannot identify (the INA219 has no id register), so it is safe on a running rig.
 */
public final class Probe {
  private final SourceDrivers drivers;
  private final SourceContext context;
  private final Duration streamingWait;

  public Probe(SourceDrivers drivers, SourceContext context, Duration streamingWait) {
    this.drivers = drivers;
    this.context = context;
    this.streamingWait = streamingWait;
  }

  /**
   * Lists the I2C buses and identifies the devices that answer at the supported chips' addresses,
   * by read-only id registers (see {@link I2cScan}); with no Pi4J context only the buses are
   * listed.
   */
  public I2cScan.Result scanI2c(I2cScan.BusList buses) throws IOException {
    Optional<Pi4jI2c> pi4j = context.service(Pi4jI2c.class);
    if (pi4j.isEmpty()) {
      return new I2cScan.Result(buses.buses(), List.of());
    }
    return new I2cScan(
            pi4j.get(),
            buses,
            bus -> context.shared("i2c.bus." + bus, Lock.class, () -> new ReentrantLock(true)),
            I2cChip.DEFAULT_BUS_TIMEOUT)
        .scan();
  }

  /** Probes each sensor in turn; one failure never stops the others. */
  public List<ProbeResult> run(List<SensorSpec> sensors) {
    List<ProbeResult> out = new ArrayList<>(sensors.size());
    for (SensorSpec s : sensors) {
      out.add(probe(s));
    }
    return out;
  }

  ProbeResult probe(SensorSpec sensor) {
    String skip = whySkipped(sensor.address());
    if (!skip.isEmpty()) {
      return new ProbeResult(
          sensor.role(), sensor.address(), ProbeResult.Outcome.SKIPPED, List.of(), skip, "");
    }
    try (Source source = drivers.open(sensor, context)) {
      List<Reading> readings =
          switch (source) {
            case PolledSource p -> p.sample();
            case StreamingSource st -> collect(st);
          };
      if (source instanceof OpcUaNodeSource opc
          && opc.status().state() == OpcUaSession.State.REFUSED) {
        return failed(
            sensor,
            opc.status().detail(),
            "OPC UA security: exchange certificates (server certificate into opcua_trust_dir, this"
                + " agent's opcua_cert into the server's trusted clients) or check opcua_security");
      }
      return ProbeResult.of(sensor.role(), sensor.address(), readings);
    } catch (InvalidAddressException e) {
      return failed(sensor, e.getMessage(), "correct the address in the profile or agent.yaml");
    } catch (IOException | RuntimeException e) {
      return failed(sensor, describe(e), fixFor(sensor.address(), e));
    }
  }

  private List<Reading> collect(StreamingSource source) {
    ConcurrentLinkedQueue<Reading> got = new ConcurrentLinkedQueue<>();
    source.start(got::add);
    long deadline = System.nanoTime() + streamingWait.toNanos();
    while (got.isEmpty() && System.nanoTime() < deadline) {
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return List.copyOf(got);
  }

  /** Outputs and chips without an id are left alone; empty when the sensor may be probed. */
  static String whySkipped(String address) {
    String a = address.strip().toLowerCase(Locale.ROOT);
    if (a.startsWith("gpio:") && (a.endsWith("/psu_enable") || a.endsWith("/fan_pwm"))) {
      return "an output: the probe does not drive it";
    }
    if (a.startsWith("i2c:") && a.endsWith("/ina219")) {
      return "the INA219 has no id register: the probe does not write its calibration";
    }
    return "";
  }

  private static ProbeResult failed(SensorSpec s, String problem, String fix) {
    return new ProbeResult(
        s.role(), s.address(), ProbeResult.Outcome.FAILED, List.of(), problem, fix);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** The first thing a technician should check for a failure, by scheme and symptom. */
  static String fixFor(String address, Throwable e) {
    String scheme =
        address.substring(0, Math.max(0, address.indexOf(':'))).toLowerCase(Locale.ROOT);
    StringBuilder messages = new StringBuilder();
    Throwable root = e;
    for (int depth = 0; depth < 8; depth++) {
      messages.append(root.getMessage()).append(' ');
      if (root.getCause() == null || root.getCause() == root) {
        break;
      }
      root = root.getCause();
    }
    String m = messages.toString().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "cgminer" -> {
        if (e instanceof ConnectException || root instanceof ConnectException) {
          yield "nothing listens there: is the miner on, its API enabled and this host in its"
              + " api-allow list (port 4028)?";
        }
        if (e instanceof SocketTimeoutException || e instanceof UnknownHostException) {
          yield "the miner does not answer: check its IP address and the network path";
        }
        yield "the miner answered something unexpected: check the firmware and its API version";
      }
      case "opcua" ->
          "check the rig's opcua_endpoint in agent.yaml, that the server runs, and the node id"
              + " (browse the server)";
      case "i2c" -> {
        if (m.contains("no acknowledge") || m.contains("remote i/o") || m.contains("not a")) {
          yield "no such chip at that address: check wiring, power and the address"
              + " (i2cdetect -y <bus>)";
        }
        if (m.contains("busy")) {
          yield "another device holds the bus: look for a stuck chip on the same bus";
        }
        yield "the bus cannot be opened: enable I2C (dtparam=i2c_arm=on) and check the agent is"
            + " in the i2c group";
      }
      case "spi" ->
          "enable SPI (dtparam=spi=on), check the chip select and that the agent is in the spi"
              + " group";
      case "gpio" -> "check the pin number (BCM) and that the agent is in the gpio group";
      case "nvidia-smi" -> {
        if (m.contains("cannot run")) {
          yield "nvidia-smi is not installed or not on the PATH: install the NVIDIA driver or"
              + " set the sensor option 'command'";
        }
        if (m.contains("did not finish")) {
          yield "the NVIDIA driver hangs: check dmesg for Xid errors; raise timeout_ms if the"
              + " host is just slow";
        }
        yield "nvidia-smi failed: run it by hand and read its message";
      }
      default -> "check the sensor's address and options";
    };
  }

  /** A fixed-width table for a terminal. */
  public static String table(List<ProbeResult> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-18s %-42s %-9s %s%n", "SENSOR", "ADDRESS", "RESULT", "DETAIL"));
    for (ProbeResult r : results) {
      String detail =
          switch (r.outcome()) {
            case OK, DEGRADED -> summary(r.readings());
            case FAILED, SKIPPED -> r.problem();
          };
      sb.append(String.format("%-18s %-42s %-9s %s%n", r.role(), r.address(), r.outcome(), detail));
      if (r.outcome() == ProbeResult.Outcome.DEGRADED) {
        sb.append(String.format("%-18s %-42s %-9s %s%n", "", "", "", r.problem()));
      }
      if (!r.fix().isEmpty()) {
        sb.append(String.format("%-18s %-42s %-9s fix: %s%n", "", "", "", r.fix()));
      }
    }
    return sb.toString();
  }

  private static String summary(List<Reading> readings) {
    StringBuilder sb = new StringBuilder();
    for (Reading r : readings) {
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      if (sb.length() > 160) {
        sb.append("... (").append(readings.size()).append(" readings)");
        break;
      }
      sb.append(r.name()).append('=');
      if (Double.isNaN(r.value())) {
        sb.append("-");
      } else {
        sb.append(String.format(Locale.ROOT, "%.2f", r.value())).append(r.unit());
      }
      if (r.quality() != io.flexrig.agent.source.Quality.GOOD) {
        sb.append(" (").append(r.quality()).append(')');
      }
    }
    return sb.toString();
  }

  /** The variables of the rig's OPC UA server, one per line, ready to paste as addresses. */
  public static String browseTable(
      String endpointUrl, List<io.flexrig.agent.source.opcua.OpcUaBrowser.Variable> variables) {
    StringBuilder sb = new StringBuilder("OPC UA variables at ").append(endpointUrl).append('\n');
    for (var v : variables) {
      sb.append(String.format("  %-60s %-40s %s%n", v.address(), v.path(), v.value()));
    }
    return sb.toString();
  }

  /** The I2C scan as a table: the buses found, then each device that answered. */
  public static String scanTable(I2cScan.Result scan) {
    StringBuilder sb = new StringBuilder();
    sb.append("I2C buses: ")
        .append(scan.buses().isEmpty() ? "none found" : scan.buses().toString())
        .append('\n');
    if (!scan.buses().isEmpty()) {
      sb.append(
          String.format("%-5s %-7s %-8s %-24s %s%n", "BUS", "ADDRESS", "CHIP", "SENSOR", "DETAIL"));
    }
    for (I2cScan.Device d : scan.devices()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-5d 0x%02x    %-8s %-24s %s%n",
              d.bus(),
              d.address(),
              d.identified() ? d.chip() : "?",
              d.sensorAddress(),
              d.detail()));
    }
    return sb.toString();
  }

  /**
   * The sensor results and the I2C scan as one JSON object, for scripts: {@code {"sensors":[..],
   * "i2c":{"buses":[1],"devices":[{"bus":1,"address":"0x40","chip":"ina226",..}]}}}.
   */
  public static String json(List<ProbeResult> results, I2cScan.Result scan) {
    StringBuilder sb = new StringBuilder("{\"sensors\":").append(json(results));
    sb.append(",\"i2c\":{\"buses\":").append(scan.buses().toString().replace(" ", ""));
    sb.append(",\"devices\":[");
    for (int i = 0; i < scan.devices().size(); i++) {
      I2cScan.Device d = scan.devices().get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"bus\":").append(d.bus());
      sb.append(",\"address\":").append(quote(String.format(Locale.ROOT, "0x%02x", d.address())));
      sb.append(",\"chip\":").append(d.identified() ? quote(d.chip()) : "null");
      sb.append(",\"sensor_address\":").append(quote(d.sensorAddress()));
      sb.append(",\"detail\":").append(quote(d.detail())).append('}');
    }
    return sb.append("]}}").toString();
  }

  /** The same results as JSON, for scripts. */
  public static String json(List<ProbeResult> results) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < results.size(); i++) {
      ProbeResult r = results.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"role\":").append(quote(r.role()));
      sb.append(",\"address\":").append(quote(r.address()));
      sb.append(",\"result\":").append(quote(r.outcome().name()));
      sb.append(",\"problem\":").append(quote(r.problem()));
      sb.append(",\"fix\":").append(quote(r.fix()));
      sb.append(",\"readings\":[");
      for (int j = 0; j < r.readings().size(); j++) {
        Reading x = r.readings().get(j);
        if (j > 0) {
          sb.append(',');
        }
        sb.append("{\"name\":").append(quote(x.name()));
        sb.append(",\"value\":")
            .append(Double.isFinite(x.value()) ? Double.toString(x.value()) : "null");
        sb.append(",\"unit\":").append(quote(x.unit()));
        sb.append(",\"quality\":").append(quote(x.quality().name())).append('}');
      }
      sb.append("]}");
    }
    return sb.append(']').toString();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Sensors with a rig's address overrides applied, as the agent opens them. */
  public static List<SensorSpec> withOverrides(
      List<SensorSpec> profileSensors, Map<String, String> overrides) {
    List<SensorSpec> out = new ArrayList<>(profileSensors.size());
    for (SensorSpec s : profileSensors) {
      String o = overrides.get(s.role());
      out.add(o == null ? s : new SensorSpec(s.role(), o, s.options()));
    }
    return out;
  }
}
