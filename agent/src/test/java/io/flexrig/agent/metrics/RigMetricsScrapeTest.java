package io.flexrig.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.control.RigMode;
import io.flexrig.agent.sampler.Measurement;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.sampler.Sampler;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.SetPowerTarget;
import io.flexrig.testkit.NodeTools;
import io.flexrig.testkit.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real rig agent (simulated miner, PDU and shunt over their real protocols) serves /metrics; an
 * independent Prometheus text-format parser (parse-prometheus-text-format, run by Node.js) scrapes
 * it over HTTP, and the values must be the rig's snapshot.
 */
@Tag("integration")
class RigMetricsScrapeTest {

  @Test
  void aScrapeParsesAndCarriesTheRigsSnapshot() throws Exception {
    try (MetricsRig rig = new MetricsRig()) {
      List<RigSnapshot> published = new CopyOnWriteArrayList<>();
      rig.agent.sampler().onSnapshot(published::add);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                RigSnapshot s = rig.agent.sampler().lastSnapshot();
                return rig.agent.connected()
                    && !published.isEmpty()
                    && s != null
                    && s.powerW().quality() == Quality.GOOD
                    && s.hashrateThs().usable()
                    && s.chipTempMaxC().usable();
              });
      // Every scrape is built from one published snapshot; its timestamp says which one.
      Scrape scrape = Scrape.of(NodeTools.scrape(rig.metricsUrl()));
      double scrapedAt = scrape.value(RigMetrics.SNAPSHOT_TIME);
      RigSnapshot s =
          published.stream()
              .filter(p -> Math.abs(p.sampledAt().toEpochMilli() / 1000.0 - scrapedAt) < 1e-3)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no published snapshot at " + scrapedAt));

      assertThat(scrape.contentType()).startsWith("text/plain").contains("version=0.0.4");
      String[] rigLabels = {"rig", MetricsRig.RIG, "site", MetricsRig.SITE};
      // a figure without a usable value is absent, never a made-up number
      assertMeasured(scrape, RigMetrics.POWER, s.powerW(), 1);
      if (s.powerW().usable()) {
        assertThat(scrape.sample(RigMetrics.POWER, rigLabels).labels())
            .containsEntry("source", s.powerW().source());
      }
      assertMeasured(scrape, RigMetrics.HASHRATE, s.hashrateThs(), 1e12);
      assertMeasured(scrape, RigMetrics.CHIP_TEMP_MAX, s.chipTempMaxC(), 1);
      assertThat(scrape.families().get(RigMetrics.POWER).type()).isEqualTo("GAUGE");

      int temperatures = 0;
      for (Reading r : s.readings()) {
        temperatures += r.unit().equals("C") ? 1 : 0;
        if (r.quality() != Quality.BAD && Double.isFinite(r.value())) {
          assertThat(scrape.value(RigMetrics.READING, "reading", r.name()))
              .as(r.name())
              .isCloseTo(r.value(), within(1e-6));
          if (r.unit().equals("C")) {
            assertThat(scrape.value(RigMetrics.TEMPERATURE, "sensor", r.name()))
                .isCloseTo(r.value(), within(1e-6));
          }
        }
        assertThat(
                scrape.value(
                    RigMetrics.READING_QUALITY,
                    "reading",
                    r.name(),
                    "quality",
                    r.quality().name().toLowerCase()))
            .as("quality of %s", r.name())
            .isEqualTo(1);
      }
      assertThat(temperatures).as("the S19j Pro reports chip and board temperatures").isPositive();

      RigMode mode = rig.agent.executor().mode();
      assertThat(scrape.value(RigMetrics.MODE, "mode", mode.name().toLowerCase())).isEqualTo(1);
      assertThat(scrape.families().get(RigMetrics.MODE).samples())
          .hasSize(RigMode.values().length)
          .filteredOn(x -> x.value() == 1)
          .hasSize(1);
      assertThat(scrape.value(RigMetrics.CURTAILED)).isEqualTo(mode == RigMode.RUNNING ? 0 : 1);
      assertThat(scrape.value(RigMetrics.CONNECTED)).isEqualTo(1);
      assertThat(scrape.value(RigMetrics.SAFETY_CEILING)).isEqualTo(rig.agent.safety().ceilingW());

      // counters grow between the scrape and now, never shrink
      assertThat(scrape.value(RigMetrics.OUTBOX_SEQUENCE + ""))
          .isBetween(1.0, (double) rig.agent.outbox().lastSequence());
      assertThat(scrape.families().get(RigMetrics.OUTBOX_DROPPED + "_total").type())
          .isEqualTo("COUNTER");
      Map<String, Sampler.SourceStats> stats = rig.agent.sampler().stats();
      assertThat(stats).isNotEmpty();
      for (var e : stats.entrySet()) {
        assertThat(scrape.value(RigMetrics.SOURCE_POLLS + "_total", "source", e.getKey()))
            .as("polls of %s", e.getKey())
            .isPositive()
            .isLessThanOrEqualTo(e.getValue().polls());
        assertThat(scrape.value(RigMetrics.SOURCE_OVERRUNS + "_total", "source", e.getKey()))
            .isLessThanOrEqualTo(e.getValue().overruns());
      }
      assertThat(scrape.value(RigMetrics.INFO + "_info", "profile", rig.profile.id())).isEqualTo(1);
    }
  }

  @Test
  void aCurtailmentShowsInTheScrapeAndEveryRigMetricTheDashboardsUseIsExported() throws Exception {
    try (MetricsRig rig = new MetricsRig()) {
      await().atMost(Duration.ofSeconds(60)).until(rig.controller::hasSession);
      Instant now = Instant.now();
      rig.controller.send(
          Command.newBuilder()
              .setCommandId("cmd-metrics")
              .setEventId("event-metrics")
              .setIssuedAt(FleetMessages.timestamp(now))
              .setDeadline(FleetMessages.timestamp(now.plusSeconds(20)))
              .setExpiresAt(FleetMessages.timestamp(now.plusSeconds(600)))
              .setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(2500))
              .build());
      await().atMost(Duration.ofSeconds(30)).until(() -> !rig.controller.results.isEmpty());

      Scrape scrape = Scrape.of(NodeTools.scrape(rig.metricsUrl()));
      assertThat(scrape.value(RigMetrics.POWER_TARGET)).isEqualTo(2500);
      assertThat(scrape.value(RigMetrics.MODE, "mode", "curtailed")).isEqualTo(1);
      assertThat(scrape.value(RigMetrics.CURTAILED)).isEqualTo(1);
      assertThat(
              scrape.value(
                  RigMetrics.COMMANDS + "_total", "door", "controller", "result", "accepted"))
          .isEqualTo(1);
      assertThat(
              scrape.value(
                  RigMetrics.COMMANDS + "_total", "door", "agent-api", "result", "accepted"))
          .as("counters start at zero")
          .isZero();
      String outcome =
          rig.controller
              .results
              .getFirst()
              .getOutcome()
              .name()
              .replace("COMMAND_OUTCOME_", "")
              .toLowerCase();
      assertThat(scrape.value(RigMetrics.COMMAND_RESULTS + "_total", "outcome", outcome))
          .isEqualTo(1);

      List<Path> dashboards = NodeTools.dashboards();
      assertThat(dashboards).hasSizeGreaterThanOrEqualTo(2);
      List<String> names = NodeTools.dashboardMetrics(dashboards);
      assertThat(names)
          .as("every metric of the dashboards is one of Flexrig's")
          .allMatch(
              n ->
                  n.startsWith("flexrig_rig_")
                      || n.startsWith("flexrig_agent_")
                      || n.startsWith("flexrig_fleet_")
                      || n.startsWith("flexrig_controller_")
                      || n.startsWith("flexrig_event_")
                      || n.startsWith("flexrig_price_"));
      List<String> agentNames =
          names.stream()
              .filter(n -> n.startsWith("flexrig_rig_") || n.startsWith("flexrig_agent_"))
              .distinct()
              .toList();
      assertThat(agentNames).isNotEmpty();
      assertThat(scrape.families().keySet())
          .as("the dashboards' agent metrics, against a live scrape")
          .containsAll(agentNames);
    }
  }

  private static void assertMeasured(Scrape scrape, String family, Measurement m, double scale) {
    if (m.usable()) {
      assertThat(scrape.value(family))
          .as(family)
          .isCloseTo(m.value() * scale, within(1e-6 * scale));
    } else {
      Scrape.Family f = scrape.families().get(family);
      assertThat(f == null ? List.of() : f.samples()).as(family).isEmpty();
    }
  }
}
