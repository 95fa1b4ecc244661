package io.flexrig.bench.footprint;

import io.flexrig.bench.Machine;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.controller.fleet.RigSample;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import io.flexrig.sim.SimulatedSite;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Footprint of the real agent: {@code AgentMain} (through {@link BoardAgentMain}) as child JVMs,
 * one per set of JVM flags, each against its own rig of a {@link SimulatedSite} (cgminer API polled
 * at 1 Hz, an OPC UA subscription to its PDU outlet and the site meter's frequency, an INA226 read
 * over Pi4J) and a real {@link FleetController}, all on loopback. The agents start one after the
 * other (start -> first acknowledged telemetry is measured without the others competing for the
 * CPU), then run together; over the measured window every process's VmRSS and thread count are
 * sampled each second and its CPU time read from /proc/PID/stat. Prometheus node_exporter, if
 * installed, runs in the same window, scraped at 1 Hz. Variants with NMT print the JVM's native
 * memory summary at the end.
 *
 * <pre>
 * bench/footprint.sh [--warmup-s 30] [--window-s 120] [--node-exporter /usr/bin/prometheus-node-exporter]
 *   [--variants small,small+door] [--variant "NAME=FLAGS"] [--keep-dir]
 * </pre>
 *
 * <p>A variant whose name contains {@code +door} serves the AgentService door with one client
 * watching its telemetry; one with {@code -XX:+AutoCreateSharedArchive} gets a training run that
 * writes its AppCDS archive first, as a board's first start does.
 */
public final class AgentFootprint {

  /** The flags we recommend for the agent on a control board. */
  public static final List<String> RECOMMENDED =
      List.of(
          "-XX:+UseSerialGC",
          "-Xmx48m",
          "-Xss256k",
          "-XX:TieredStopAtLevel=1",
          "-XX:MaxMetaspaceSize=64m",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:-UsePerfData");

  /** RECOMMENDED plus fewer, unpooled Netty buffers and event-loop threads (both Netty copies). */
  public static final List<String> LEAN =
      concat(
          RECOMMENDED,
          List.of(
              "-XX:MaxDirectMemorySize=16m",
              "-Dio.netty.allocator.type=unpooled",
              "-Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled",
              "-Dio.netty.eventLoopThreads=1",
              "-Dio.grpc.netty.shaded.io.netty.eventLoopThreads=1"));

  /** LEAN with half the heap, started small and kept small (SerialGC gives memory back). */
  public static final List<String> TIGHT =
      concat(
          LEAN.stream().filter(f -> !f.startsWith("-Xmx")).toList(),
          List.of("-Xmx24m", "-Xms8m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30"));

  /**
   * The agent's defaults of 3b (systemd unit and deb launcher then): TIGHT with a 20 MiB heap. The
   * live set is about 11 MiB after a full GC once the BouncyCastle manifests are no longer cached
   * (15 MiB before); 16 MiB ran out at start on a loaded machine. An OutOfMemoryError ends the JVM
   * so that systemd restarts the agent instead of leaving it half-alive.
   */
  public static final List<String> SMALL_3B =
      concat(
          TIGHT.stream().filter(f -> !f.startsWith("-Xmx")).toList(),
          List.of("-Xmx20m", "-XX:+ExitOnOutOfMemoryError"));

  /**
   * The agent's defaults since 3d: {@link #SMALL_3B} with one glibc malloc arena and the JVM
   * trimming the native heap every 2 s (4-5 MiB less RSS, same CPU).
   */
  public static final List<String> SMALL =
      concat(SMALL_3B, List.of("-XX:TrimNativeHeapInterval=2000", "env:MALLOC_ARENA_MAX=1"));

  /**
   * AppCDS as the launcher adds it under systemd: archive written by the first run, then mapped.
   */
  private static final List<String> CDS =
      List.of("-XX:SharedArchiveFile=@DIR@/@RIG@.jsa", "-XX:+AutoCreateSharedArchive");

  private static final List<String> NMT = List.of("-XX:NativeMemoryTracking=summary");

  /**
   * One agent process: its JVM flags, and whether it serves the AgentService door (issue 10) with
   * one client watching its telemetry, as a site's own fleet manager would.
   */
  record Variant(String name, List<String> flags, boolean door) {
    Variant(String name, List<String> flags) {
      this(name, flags, name.contains("+door"));
    }
  }

  private static final class Running {
    final Variant variant;
    final String rigId;
    final Process process;
    final ProcessProbe probe;
    final Path log;
    double startToAckS = Double.NaN;
    double cpu0;
    long stored0;
    long rssSumKib;
    long rssMaxKib;
    long anonSumKib;
    long fileSumKib;
    int rssSamples;
    int doorPort;
    final AtomicLong watched = new AtomicLong();
    long threads;

    Running(Variant variant, String rigId, Process process, Path log) {
      this.variant = variant;
      this.rigId = rigId;
      this.process = process;
      this.probe = new ProcessProbe(process.pid());
      this.log = log;
    }
  }

  private AgentFootprint() {}

  public static void main(String[] args) throws Exception {
    String agentClasspath = null;
    int warmupS = 30;
    int windowS = 120;
    String nodeExporter = "/usr/bin/prometheus-node-exporter";
    List<String> only = null;
    List<Variant> custom = new ArrayList<>();
    boolean keepDir = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--agent-classpath" -> agentClasspath = args[++i];
        case "--variants" -> only = List.of(args[++i].split(","));
        case "--variant" -> {
          // name=flag flag ... (a name containing "+door" serves the AgentService door)
          String[] kv = args[++i].split("=", 2);
          custom.add(new Variant(kv[0], kv[1].isBlank() ? List.of() : List.of(kv[1].split(" "))));
        }
        case "--keep-dir" -> keepDir = true;
        case "--warmup-s" -> warmupS = Integer.parseInt(args[++i]);
        case "--window-s" -> windowS = Integer.parseInt(args[++i]);
        case "--node-exporter" -> nodeExporter = args[++i];
        default -> {
          System.err.println("unknown argument " + args[i]);
          System.exit(64);
        }
      }
    }
    if (agentClasspath == null) {
      System.err.println("--agent-classpath is required (bench/footprint.sh builds it)");
      System.exit(64);
    }
    Machine.print("AgentFootprint (real AgentMain child JVMs vs Prometheus node_exporter)");
    List<Variant> variants = new ArrayList<>(variants());
    if (only != null) {
      List<String> names = only;
      variants.removeIf(v -> !names.contains(v.name()));
    }
    variants.addAll(custom);
    for (Variant v : variants) {
      System.out.println(v.name() + " flags: " + String.join(" ", v.flags()));
    }

    Path dir = Files.createTempDirectory("flexrig-footprint");
    if (keepDir) {
      System.out.println("agent logs and configs kept in " + dir);
    }
    HardwareProfile profile = ProfileCatalog.builtIn().require("antminer-s19j-pro");
    Path profileFile = dir.resolve("antminer-s19j-pro.yaml");
    try (InputStream in =
        AgentFootprint.class
            .getClassLoader()
            .getResourceAsStream(ProfileCatalog.RESOURCE_DIR + "antminer-s19j-pro.yaml")) {
      Files.copy(in, profileFile);
    }
    List<SimulatedSite.RigSpec> specs = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      specs.add(new SimulatedSite.RigSpec(String.format(Locale.ROOT, "fp-%02d", i + 1), profile));
    }
    List<Running> running = new ArrayList<>();
    Process exporter = null;
    Thread scraper = null;
    AtomicLong scrapes = new AtomicLong();
    AtomicLong scrapeBytes = new AtomicLong();
    List<DoorWatcher> watchers = new ArrayList<>();
    try (SimulatedSite site = SimulatedSite.start(specs);
        FleetController controller =
            new FleetController(ControllerConfig.loopback(0, dir.resolve("controller.db")))
                .start()) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (int i = 0; i < variants.size(); i++) {
        Variant v = variants.get(i);
        SimulatedSite.RigEndpoints e = site.endpoints().get(i);
        Path yaml = dir.resolve(e.rigId() + ".yaml");
        Files.writeString(
            yaml,
            String.join(
                "\n",
                "rig_id: " + e.rigId(),
                "site_id: footprint",
                "profile: " + profileFile.getFileName(),
                "controller: 127.0.0.1:" + controller.port(),
                "plaintext: true",
                "opcua_endpoint: " + site.opcUaEndpointUrl(),
                "telemetry_interval_ms: 1000",
                "i2c_provider: flexrig-sim-i2c",
                "sensors:",
                "  miner_api: " + e.cgminerAddress(),
                "  outlet_power: \"" + e.outletPowerNode() + "\"",
                "  grid_frequency: \"" + e.gridFrequencyNode() + "\"",
                "  dc_power: i2c:1/0x40/ina226",
                ""));
        int doorPort = 0;
        if (v.door()) {
          try (ServerSocket s = new ServerSocket(0)) {
            doorPort = s.getLocalPort();
          }
          Files.writeString(
              yaml,
              "agent_api_port: " + doorPort + "\nagent_api_plaintext: true\n",
              StandardOpenOption.APPEND);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        Map<String, String> env = new HashMap<>();
        for (String flag : v.flags()) {
          if (flag.startsWith("env:")) {
            // env:NAME=VALUE sets the child's environment (e.g. glibc's MALLOC_ARENA_MAX)
            String[] kv = flag.substring(4).split("=", 2);
            env.put(kv[0], kv[1]);
            continue;
          }
          cmd.add(flag.replace("@DIR@", dir.toString()).replace("@RIG@", e.rigId()));
        }
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(agentClasspath);
        cmd.add(BoardAgentMain.class.getName());
        cmd.add(yaml.toString());
        Path log = dir.resolve(e.rigId() + ".log");
        if (v.flags().contains("-XX:+AutoCreateSharedArchive")) {
          train(cmd, dir.resolve(e.rigId() + "-training.log"), controller, e.rigId());
        }
        long storedBefore = controller.fleet().storedThrough(e.rigId());
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.redirectOutput(log.toFile()).start();
        Running r = new Running(v, e.rigId(), p, log);
        r.doorPort = doorPort;
        running.add(r);
        long until = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until && p.isAlive()) {
          if (controller.fleet().storedThrough(e.rigId()) > storedBefore) {
            r.startToAckS = (System.nanoTime() - t0) / 1e9;
            break;
          }
          Thread.sleep(5);
        }
        System.out.printf(
            Locale.ROOT,
            "started %-16s pid %d: first acknowledged telemetry after %.2f s%n",
            v.name(),
            p.pid(),
            r.startToAckS);
        if (Double.isNaN(r.startToAckS)) {
          System.out.println("  no telemetry acknowledged; agent log tail:");
          tail(log, 30).forEach(l -> System.out.println("  | " + l));
        }
        if (r.doorPort > 0) {
          watchers.add(DoorWatcher.start(r.doorPort, r.watched));
        }
        Thread.sleep(2000);
      }

      ProcessProbe exporterProbe = null;
      if (Files.isExecutable(Path.of(nodeExporter))) {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
          port = s.getLocalPort();
        }
        exporter =
            new ProcessBuilder(nodeExporter, "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("node_exporter.log").toFile())
                .start();
        exporterProbe = new ProcessProbe(exporter.pid());
        URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");
        long scrapeUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupS + windowS + 10L);
        scraper =
            Thread.ofPlatform()
                .daemon(true)
                .name("node-exporter-scraper")
                .start(() -> scrape(uri, scrapeUntil, scrapes, scrapeBytes));
        System.out.println(
            "node_exporter pid " + exporter.pid() + " on 127.0.0.1:" + port + ", scraped at 1 Hz");
      } else {
        System.out.println("node_exporter: " + nodeExporter + " not installed, no comparison");
      }

      System.out.printf(Locale.ROOT, "warming up %d s, then measuring %d s%n", warmupS, windowS);
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmupS));
      double exporterCpu0 = exporterProbe == null ? 0 : exporterProbe.cpuSeconds();
      long exporterRssSum = 0;
      long exporterRssMax = 0;
      for (Running r : running) {
        r.cpu0 = r.probe.cpuSeconds();
        r.stored0 = controller.fleet().storedThrough(r.rigId);
      }
      long w0 = System.nanoTime();
      int samples = 0;
      while (System.nanoTime() - w0 < TimeUnit.SECONDS.toNanos(windowS)) {
        for (Running r : running) {
          long rss = r.probe.rssKib();
          if (rss > 0) {
            r.rssSumKib += rss;
            r.anonSumKib += Math.max(0, r.probe.statusField("RssAnon:"));
            r.fileSumKib += Math.max(0, r.probe.statusField("RssFile:"));
            r.rssMaxKib = Math.max(r.rssMaxKib, rss);
            r.rssSamples++;
            r.threads = r.probe.threads();
          }
        }
        if (exporterProbe != null) {
          long rss = exporterProbe.rssKib();
          exporterRssSum += Math.max(0, rss);
          exporterRssMax = Math.max(exporterRssMax, rss);
        }
        samples++;
        Thread.sleep(1000);
      }
      double windowSecs = (System.nanoTime() - w0) / 1e9;

      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "%-16s %10s %14s %15s %13s %12s %10s %8s %14s%n",
          "process",
          "start->ack",
          "RSS avg/max",
          "anon/file avg",
          "CPU % 1 core",
          "CPU s/hour",
          "threads",
          "target",
          "samples acked");
      for (Running r : running) {
        double cpu = r.probe.cpuSeconds() - r.cpu0;
        double pct = cpu / windowSecs * 100;
        double rssAvgMib = r.rssSamples == 0 ? Double.NaN : r.rssSumKib / 1024.0 / r.rssSamples;
        boolean met = r.rssMaxKib / 1024.0 <= 64 && pct < 0.5;
        long acked = controller.fleet().storedThrough(r.rigId) - r.stored0;
        System.out.printf(
            Locale.ROOT,
            "%-16s %9.2fs %6.1f/%5.1f MiB %6.1f/%5.1f MiB %12.3f %% %12.1f %10d %8s %10d in %.0f s%s%n",
            r.variant.name(),
            r.startToAckS,
            rssAvgMib,
            r.rssMaxKib / 1024.0,
            r.anonSumKib / 1024.0 / Math.max(1, r.rssSamples),
            r.fileSumKib / 1024.0 / Math.max(1, r.rssSamples),
            pct,
            cpu / windowSecs * 3600,
            r.threads,
            met ? "met" : "NOT met",
            acked,
            windowSecs,
            r.doorPort > 0 ? ", door watcher got " + r.watched.get() + " samples" : "");
      }
      if (exporterProbe != null) {
        double cpu = exporterProbe.cpuSeconds() - exporterCpu0;
        System.out.printf(
            Locale.ROOT,
            "%-16s %10s %6.1f/%5.1f MiB %15s %12.3f %% %12.1f %10d %8s %s%n",
            "node_exporter",
            "-",
            exporterRssSum / 1024.0 / samples,
            exporterRssMax / 1024.0,
            "",
            cpu / windowSecs * 100,
            cpu / windowSecs * 3600,
            exporterProbe.threads(),
            "",
            scrapes.get()
                + " scrapes, "
                + scrapeBytes.get() / Math.max(1, scrapes.get())
                + " bytes each");
      }
      System.out.println("load average at the end: " + Machine.loadAverage());
      System.out.println("target: RSS <= 64 MiB and < 0.5 % of one core (RSS judged on its max)");
      for (Running r : running) {
        controller
            .fleet()
            .rig(r.rigId)
            .flatMap(v -> v.latest())
            .ifPresent(
                (RigSample s) ->
                    System.out.printf(
                        Locale.ROOT,
                        "  %s latest sample: power %.0f W (%s), hashrate %.1f TH/s,"
                            + " grid %.2f Hz%n",
                        r.variant.name(),
                        s.powerW(),
                        s.powerQuality(),
                        s.hashrateThs(),
                        s.gridFrequencyHz()));
      }
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      for (Running r : running) {
        if (r.variant.flags().containsAll(NMT)) {
          System.out.println();
          System.out.println(
              "NMT summary, " + r.variant.name() + " (committed KiB, largest first):");
          nmt(jcmd, r.process.pid())
              .forEach((k, kib) -> System.out.printf(Locale.ROOT, "  %-28s %8d KiB%n", k, kib));
        }
      }
    } finally {
      watchers.forEach(DoorWatcher::close);
      for (Running r : running) {
        r.process.destroy();
      }
      for (Running r : running) {
        if (!r.process.waitFor(10, TimeUnit.SECONDS)) {
          r.process.destroyForcibly();
        }
      }
      if (exporter != null) {
        exporter.destroy();
        exporter.waitFor(5, TimeUnit.SECONDS);
      }
      if (scraper != null) {
        scraper.interrupt();
      }
      if (!keepDir) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    System.exit(0);
  }

  private static void scrape(URI uri, long untilNanos, AtomicLong scrapes, AtomicLong bytes) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      while (System.nanoTime() < untilNanos && !Thread.currentThread().isInterrupted()) {
        try {
          HttpResponse<byte[]> r =
              http.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() == 200) {
            scrapes.incrementAndGet();
            bytes.addAndGet(r.body().length);
          }
        } catch (IOException e) {
          // not up yet, or gone: try again next second
        }
        Thread.sleep(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final Pattern NMT_LINE =
      Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
  private static final Pattern NMT_TOTAL =
      Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");

  /** Committed KiB per NMT category, largest first, with the total first. */
  static Map<String, Long> nmt(String jcmd, long pid) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jcmd, Long.toString(pid), "VM.native_memory", "summary")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    Map<String, Long> categories = new LinkedHashMap<>();
    long total = -1;
    for (String line : out.split("\n")) {
      String l = line.strip();
      Matcher t = NMT_TOTAL.matcher(l);
      if (t.find()) {
        total = Long.parseLong(t.group(2));
      }
      Matcher m = NMT_LINE.matcher(l);
      if (m.find()) {
        categories.put(m.group(1).strip(), Long.parseLong(m.group(3)));
      }
    }
    Map<String, Long> sorted = new LinkedHashMap<>();
    sorted.put("Total (NMT committed)", total);
    categories.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    if (categories.isEmpty()) {
      System.out.println("  (jcmd said: " + out.strip() + ")");
    }
    return sorted;
  }

  /**
   * The run that writes the AppCDS archive, as a board's first start after installation does: the
   * agent runs until its telemetry is acknowledged and ten seconds more, then stops (SIGTERM, as
   * systemd stops it), and the JVM writes the archive at exit.
   */
  private static void train(List<String> cmd, Path log, FleetController controller, String rigId)
      throws IOException, InterruptedException {
    long stored = controller.fleet().storedThrough(rigId);
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long until = t0 + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until
        && p.isAlive()
        && controller.fleet().storedThrough(rigId) <= stored) {
      Thread.sleep(5);
    }
    double first = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(10_000);
    p.destroy();
    p.waitFor(60, TimeUnit.SECONDS);
    System.out.printf(
        Locale.ROOT,
        "  training run for the AppCDS archive: first acknowledged telemetry after %.2f s,"
            + " stopped after %.1f s%n",
        first,
        (System.nanoTime() - t0) / 1e9);
  }

  /** The named flag sets, in the order they run by default. */
  static List<Variant> variants() {
    return List.of(
        new Variant("defaults", List.of()),
        new Variant("recommended", RECOMMENDED),
        new Variant("tight", TIGHT),
        new Variant("small-3b", SMALL_3B),
        new Variant("small", SMALL),
        new Variant("small+cds", concat(SMALL, CDS)),
        new Variant("small+door", SMALL),
        new Variant("small+cds+door", concat(SMALL, CDS)),
        new Variant("small+NMT", concat(SMALL, NMT)));
  }

  private static List<String> tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(no log: " + e + ")");
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }
}
