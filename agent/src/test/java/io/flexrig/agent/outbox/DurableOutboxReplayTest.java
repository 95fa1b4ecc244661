package io.flexrig.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.uplink.FleetUplink;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.agent.uplink.UplinkSettings;
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.AlarmSeverity;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.TelemetrySample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real uplink over a real socket with the durable outbox, across an agent restart. */
@Tag("integration")
class DurableOutboxReplayTest {

  private static final AgentHello HELLO =
      AgentHello.newBuilder()
          .setRig(
              RigIdentity.newBuilder()
                  .setRigId("rig-1")
                  .setSiteId("site-a")
                  .setHardwareProfileId("antminer-s19j-pro"))
          .setAgentVersion("test")
          .build();

  private static final Alarm ALARM =
      Alarm.newBuilder()
          .setAlarmId("al-outage")
          .setSeverity(AlarmSeverity.ALARM_SEVERITY_WARNING)
          .setCode("SOURCE_DOWN")
          .setMessage("pdu unreachable")
          .build();

  @TempDir Path dir;

  @Test
  void samplesAndAlarmsTakenWhileTheControllerWasDownSurviveAnAgentRestartAndArriveOnce()
      throws Exception {
    Path file = dir.resolve("outbox.db");
    try (TestController controller = new TestController().start()) {
      UplinkSettings settings =
          UplinkSettings.plaintext(controller.target())
              .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
      // First life: 5 samples delivered, then the controller goes away and 20 more pile up.
      try (SqliteOutbox outbox = SqliteOutbox.open(file, 1 << 20, n -> {});
          FleetUplink uplink = new FleetUplink(settings, outbox, () -> HELLO, c -> {})) {
        uplink.start();
        for (int i = 0; i < 5; i++) {
          outbox.append(TelemetrySample.newBuilder().setPowerW(3000 + i).build());
          uplink.samplesAvailable();
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> outbox.size() == 0);
        controller.stop();
        for (int i = 5; i < 25; i++) {
          outbox.append(TelemetrySample.newBuilder().setPowerW(3000 + i).build());
          uplink.samplesAvailable();
          if (i == 10) {
            uplink.send(ALARM); // raised during the outage, dies with this process's memory
          }
        }
        assertThat(outbox.size()).isEqualTo(20);
        await().atMost(20, TimeUnit.SECONDS).until(() -> outbox.pendingAlarms().size() == 1);
      }
      // Second life: a new process opens the same file; the controller is back.
      controller.restart();
      try (SqliteOutbox outbox = SqliteOutbox.open(file, 1 << 20, n -> {});
          FleetUplink uplink = new FleetUplink(settings, outbox, () -> HELLO, c -> {})) {
        assertThat(outbox.size()).isEqualTo(20);
        uplink.start();
        // Sampling goes on in the second life. Only an ack of a sample numbered after the alarm
        // proves the alarm arrived, and the alarm may have been kept after sample 25.
        outbox.append(TelemetrySample.newBuilder().setPowerW(3025).build());
        uplink.samplesAvailable();

        await().atMost(30, TimeUnit.SECONDS).until(() -> controller.stored.size() == 26);
        await().atMost(20, TimeUnit.SECONDS).until(() -> outbox.size() == 0);
        await().atMost(20, TimeUnit.SECONDS).until(() -> outbox.pendingAlarms().isEmpty());
      }
      assertThat(controller.alarms).containsExactly(ALARM);
      assertThat(controller.stored.keySet())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 26).boxed().toList());
      assertThat(controller.stored.get(25L).getPowerW()).isEqualTo(3024);
      assertThat(controller.stored.get(26L).getPowerW()).isEqualTo(3025);
      assertThat(controller.duplicates.get()).isZero();
    }
  }
}
