package io.flexrig.demo;

import com.google.protobuf.Timestamp;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.GetSiteStatusRequest;
import io.flexrig.proto.v1.SiteStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The demo: one site of 20 simulated rigs of four ASIC models, the fleet controller, and a grid
 * operator who asks the site to shed load. Prints the site's power before, during and after the
 * event, then a verdict. Exits 0 when the measured drop met the request before the deadline.
 */
public final class FleetDemo {

  /** The demo site: six S19j Pro, six S21, four M50S and four A1366. */
  static final List<Map.Entry<String, Integer>> MIX =
      List.of(
          Map.entry("antminer-s19j-pro", 6),
          Map.entry("antminer-s21", 6),
          Map.entry("whatsminer-m50s", 4),
          Map.entry("avalon-a1366", 4));

  private final PrintStream out;
  private final DemoOptions options;

  record DemoOptions(
      double reduceKw,
      Duration baseline,
      Duration responseTime,
      Duration eventLength,
      Duration recovery,
      double timeScale) {

    static DemoOptions parse(String[] args) {
      double reduceKw = 20;
      Duration baseline = Duration.ofSeconds(10);
      Duration response = Duration.ofSeconds(30);
      Duration length = Duration.ofSeconds(45);
      Duration recovery = Duration.ofSeconds(30);
      double timeScale = 1;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--reduce-kw" -> reduceKw = Double.parseDouble(value(args, ++i, arg));
          case "--response-s" -> response = seconds(value(args, ++i, arg));
          case "--event-s" -> length = seconds(value(args, ++i, arg));
          case "--baseline-s" -> baseline = seconds(value(args, ++i, arg));
          case "--recovery-s" -> recovery = seconds(value(args, ++i, arg));
          case "--speed" -> timeScale = Double.parseDouble(value(args, ++i, arg));
          case "--help", "-h" -> {
            System.out.println(
                """
                Usage: ./demo.sh [--reduce-kw KW] [--response-s S] [--event-s S] [--baseline-s S]
                                 [--recovery-s S] [--speed X]
                  --reduce-kw   load the grid operator asks the site to shed (default 20)
                  --response-s  time from event start to the deadline (default 30)
                  --event-s     event length (default 45)
                  --speed       simulated rig physics runs X times faster than real time (default 1)
                """);
            System.exit(0);
          }
          default -> throw new IllegalArgumentException("unknown option " + arg + " (try --help)");
        }
      }
      return new DemoOptions(reduceKw, baseline, response, length, recovery, timeScale);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static Duration seconds(String s) {
      return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    }
  }

  FleetDemo(PrintStream out, DemoOptions options) {
    this.out = out;
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("flexrig demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    boolean met = new FleetDemo(System.out, options).run();
    System.exit(met ? 0 : 1);
  }

  /** Runs the whole demo; true when the site met the requested drop before the deadline. */
  boolean run() throws IOException, InterruptedException {
    Map<String, HardwareProfile> rigs = demoRigs(ProfileCatalog.builtIn());
    Path dir = Files.createTempDirectory("flexrig-demo");
    out.printf(
        "Flexrig demo: starting a simulated site of %d rigs (%s), the fleet controller and %d"
            + " agents%n",
        rigs.size(), describeMix(), rigs.size());
    var fleetOptions =
        new LocalFleet.Options(
            "demo-site", Duration.ofSeconds(1), options.timeScale(), dir.resolve("controller.db"));
    try (LocalFleet fleet = LocalFleet.start(rigs, fleetOptions)) {
      out.printf(
          "  controller on 127.0.0.1:%d, OPC UA site meter at %s%n",
          fleet.controller().port(), fleet.site().opcUaEndpointUrl());
      awaitFleet(fleet, rigs.size());
      return runEvent(fleet, rigs.size());
    }
  }

  static Map<String, HardwareProfile> demoRigs(ProfileCatalog catalog) {
    Map<String, HardwareProfile> rigs = new LinkedHashMap<>();
    int n = 0;
    for (var entry : MIX) {
      HardwareProfile profile = catalog.require(entry.getKey());
      for (int i = 0; i < entry.getValue(); i++) {
        rigs.put(String.format(Locale.ROOT, "demo-r%02d", ++n), profile);
      }
    }
    return rigs;
  }

  private static String describeMix() {
    StringBuilder s = new StringBuilder();
    for (var entry : MIX) {
      if (!s.isEmpty()) {
        s.append(", ");
      }
      s.append(entry.getValue()).append("x ").append(entry.getKey());
    }
    return s.toString();
  }

  private void awaitFleet(LocalFleet fleet, int rigCount) throws InterruptedException {
    Instant giveUp = Instant.now().plusSeconds(60);
    SiteStatus status = siteStatus(fleet);
    while (status.getRigsConnected() < rigCount || status.getMeasuredKw() <= 0) {
      if (Instant.now().isAfter(giveUp)) {
        throw new IllegalStateException(
            "only " + status.getRigsConnected() + " of " + rigCount + " rigs connected in 60 s");
      }
      Thread.sleep(250);
      status = siteStatus(fleet);
    }
    out.printf("  all %d agents connected and streaming measured power%n%n", rigCount);
  }

  private boolean runEvent(LocalFleet fleet, int rigCount) throws InterruptedException {
    out.println("  time   phase       site meter   fleet measured   target     rigs curtailed");
    Instant demoStart = Instant.now();
    Instant eventStart = demoStart.plus(options.baseline());
    Instant eventEnd = eventStart.plus(options.eventLength());
    Instant demoEnd = eventEnd.plus(options.recovery());
    CurtailmentEvent event =
        fleet
            .grid()
            .createCurtailmentEvent(
                CreateCurtailmentEventRequest.newBuilder()
                    .setSiteId("demo-site")
                    .setRequestId(UUID.randomUUID().toString())
                    .setReduceByKw(options.reduceKw())
                    .setStartAt(timestamp(eventStart))
                    .setResponseTimeS(options.responseTime().toMillis() / 1000.0)
                    .setEndAt(timestamp(eventEnd))
                    .setProgram("demo: grid operator asks for " + options.reduceKw() + " kW")
                    .build());
    double peakBeforeKw = 0;
    double lowestDuringKw = Double.MAX_VALUE;
    double afterKw = 0;
    EventStatus status = null;
    while (Instant.now().isBefore(demoEnd)) {
      Instant now = Instant.now();
      SiteStatus site = siteStatus(fleet);
      status =
          fleet
              .grid()
              .getEventStatus(
                  GetEventStatusRequest.newBuilder().setEventId(event.getEventId()).build());
      String phase = phase(status.getEvent().getState(), now, eventEnd);
      double meterKw = fleet.site().siteMeterPowerW() / 1000;
      double fleetKw = site.getMeasuredKw();
      if (now.isBefore(eventStart)) {
        peakBeforeKw = Math.max(peakBeforeKw, fleetKw);
      } else if (now.isBefore(eventEnd)) {
        lowestDuringKw = Math.min(lowestDuringKw, fleetKw);
      } else {
        afterKw = fleetKw;
      }
      boolean targetKnown = status.getEvent().getState() == EventState.EVENT_STATE_ACTIVE;
      out.printf(
          Locale.ROOT,
          "  %+4ds  %-10s  %7.1f kW   %7.1f kW       %-9s  %2d/%d  %s%n",
          Duration.between(eventStart, now).toSeconds(),
          phase,
          meterKw,
          fleetKw,
          targetKnown ? String.format(Locale.ROOT, "%6.1f kW", status.getTargetKw()) : "   -",
          site.getRigsCurtailed(),
          rigCount,
          bar(fleetKw, site.getNameplateKw(), targetKnown ? status.getTargetKw() : -1));
      Thread.sleep(1000);
    }
    return verdict(status, peakBeforeKw, lowestDuringKw, afterKw);
  }

  private boolean verdict(
      EventStatus status, double peakBeforeKw, double lowestDuringKw, double afterKw) {
    double droppedKw = status.getBaselineKw() - lowestDuringKw;
    boolean deadlineMet = status.getDeadlineMet();
    boolean dropMet = droppedKw >= options.reduceKw() * 0.98;
    out.println();
    out.printf(
        Locale.ROOT,
        "Result: baseline %.1f kW, asked to shed %.1f kW -> target %.1f kW%n",
        status.getBaselineKw(),
        options.reduceKw(),
        status.getTargetKw());
    if (status.hasTargetMetAt()) {
      out.printf(
          Locale.ROOT,
          "        target reached %.1f s after start (deadline %d s): %s%n",
          Duration.between(
                      instant(status.getEvent().getStartAt()), instant(status.getTargetMetAt()))
                  .toMillis()
              / 1000.0,
          options.responseTime().toSeconds(),
          deadlineMet ? "met" : "MISSED");
    } else {
      out.println("        target never reached: MISSED");
    }
    out.printf(
        Locale.ROOT,
        "        measured drop %.1f kW (lowest %.1f kW during the event)%n",
        droppedKw,
        lowestDuringKw);
    out.printf(
        Locale.ROOT,
        "        after the event the site is back at %.1f kW (%.0f%% of the %.1f kW before)%n",
        afterKw,
        peakBeforeKw > 0 ? 100 * afterKw / peakBeforeKw : 0,
        peakBeforeKw);
    return deadlineMet && dropMet;
  }

  private static String phase(EventState state, Instant now, Instant eventEnd) {
    return switch (state) {
      case EVENT_STATE_SCHEDULED -> "before";
      case EVENT_STATE_ACTIVE -> "EVENT";
      case EVENT_STATE_COMPLETED, EVENT_STATE_CANCELLED -> "after";
      default -> now.isAfter(eventEnd) ? "after" : "?";
    };
  }

  /** A bar of the fleet's power against its nameplate, with the target marked by '|'. */
  static String bar(double kw, double nameplateKw, double targetKw) {
    int width = 40;
    if (nameplateKw <= 0) {
      return "";
    }
    int filled = (int) Math.round(Math.min(1, kw / nameplateKw) * width);
    int mark = targetKw < 0 ? -1 : (int) Math.round(Math.min(1, targetKw / nameplateKw) * width);
    StringBuilder s = new StringBuilder(width);
    for (int i = 0; i < width; i++) {
      s.append(i == mark ? '|' : i < filled ? '#' : '.');
    }
    return s.toString();
  }

  /** The site as the controller sees it; empty until the first agent of the site said hello. */
  static SiteStatus siteStatus(LocalFleet fleet, String siteId) {
    try {
      return fleet
          .grid()
          .getSiteStatus(GetSiteStatusRequest.newBuilder().setSiteId(siteId).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return SiteStatus.newBuilder().setSiteId(siteId).build();
      }
      throw e;
    }
  }

  private static SiteStatus siteStatus(LocalFleet fleet) {
    return siteStatus(fleet, "demo-site");
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
