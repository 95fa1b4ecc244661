package io.flexrig.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.systemd.SystemdNotify;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServiceHeartbeatTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void theSamplerCountsAsAliveOnlyWhileItsNewestSnapshotIsFresh() throws Exception {
    AtomicReference<Instant> last = new AtomicReference<>();
    try (SystemdNotify off = SystemdNotify.forSocket(null)) {
      ServiceHeartbeat heartbeat =
          new ServiceHeartbeat(off, last::get, clock, Duration.ofSeconds(10));
      heartbeat.beat();
      assertThat(heartbeat.alive()).isFalse();
      assertThat(heartbeat.ready()).as("no READY before the first snapshot").isFalse();
      last.set(NOW.minusSeconds(2));
      heartbeat.beat();
      assertThat(heartbeat.ready()).isTrue();
      last.set(NOW.minusSeconds(11));
      assertThat(heartbeat.alive()).as("stuck sampler: no more watchdog pings").isFalse();
    }
  }

  @Test
  void pingsAtHalfTheWatchdogIntervalSystemdSets() {
    assertThat(ServiceHeartbeat.pingPeriodMillis("30000000")).isEqualTo(15_000);
    assertThat(ServiceHeartbeat.pingPeriodMillis(null)).isEqualTo(1000);
    assertThat(ServiceHeartbeat.pingPeriodMillis("junk")).isEqualTo(1000);
  }
}
