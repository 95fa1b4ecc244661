package io.flexrig.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.Reconnect;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.TelemetrySample;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class FleetUplinkTest {
  private static final AgentHello HELLO =
      AgentHello.newBuilder()
          .setRig(
              RigIdentity.newBuilder()
                  .setRigId("rig-1")
                  .setSiteId("site-a")
                  .setHardwareProfileId("antminer-s19j-pro"))
          .setAgentVersion("test")
          .build();

  private static TelemetrySample sample(double watts) {
    return TelemetrySample.newBuilder().setPowerW(watts).build();
  }

  private static UplinkSettings settings(TestController controller) {
    return UplinkSettings.plaintext(controller.target())
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
  }

  @Test
  void helloComesFirstThenSequencedTelemetryWhichTheControllerAcknowledges() throws Exception {
    MemoryOutbox outbox = new MemoryOutbox(100, 0);
    try (TestController controller = new TestController().start();
        FleetUplink uplink = new FleetUplink(settings(controller), outbox, () -> HELLO, c -> {})) {
      outbox.append(sample(3068));
      uplink.start();
      await().atMost(5, TimeUnit.SECONDS).until(uplink::connected);
      for (int i = 0; i < 9; i++) {
        outbox.append(sample(3000 - i));
        uplink.samplesAvailable();
      }

      await().atMost(5, TimeUnit.SECONDS).until(() -> controller.stored.size() == 10);
      await().atMost(5, TimeUnit.SECONDS).until(() -> outbox.size() == 0);
      assertThat(controller.firstMessages.getFirst().hasHello()).isTrue();
      assertThat(controller.hellos.getFirst().getRig().getRigId()).isEqualTo("rig-1");
      assertThat(controller.hellos.getFirst().getLastSequence()).isEqualTo(1);
      assertThat(controller.stored.keySet())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
      assertThat(controller.stored.get(1L).getPowerW()).isEqualTo(3068);
      assertThat(controller.duplicates.get()).isZero();
    }
  }

  @Test
  void overMutualTlsTheRigPresentsItsCertificateAndTelemetryFlows(@TempDir Path pki)
      throws Exception {
    issue(pki, "ca", "test-site");
    issue(pki, "controller");
    issue(pki, "agent", "rig-1");
    ServerCredentials requireClientCertificate =
        TlsServerCredentials.newBuilder()
            .keyManager(
                pki.resolve("controller.crt").toFile(), pki.resolve("controller.key").toFile())
            .trustManager(pki.resolve("ca.crt").toFile())
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
            .build();
    MemoryOutbox outbox = new MemoryOutbox(100, 0);
    try (TestController controller = new TestController(requireClientCertificate).start();
        FleetUplink uplink =
            new FleetUplink(
                settings(controller)
                    .withTls(
                        new ClientTls(
                            pki.resolve("agent-rig-1.crt"),
                            pki.resolve("agent-rig-1.key"),
                            pki.resolve("ca.crt"))),
                outbox,
                () -> HELLO,
                c -> {})) {
      outbox.append(sample(3068));
      uplink.start();

      await().atMost(10, TimeUnit.SECONDS).until(() -> controller.stored.size() == 1);
      assertThat(uplink.connected()).isTrue();
    }
  }

  @Test
  void tlsSettingsNeedAllTheirMaterialOrPlaintext() {
    assertThatThrownBy(
            () ->
                new UplinkSettings(
                    "127.0.0.1:1",
                    false,
                    Duration.ofMillis(1),
                    Duration.ofMillis(1),
                    1,
                    Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLS material");
  }

  /** Issues certificates with the site's PKI script, as an operator would. */
  private static void issue(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add("bash");
    cmd.add(Path.of("../scripts/flexrig-pki.sh").toAbsolutePath().normalize().toString());
    cmd.add(args[0]);
    cmd.add(dir.toString());
    cmd.addAll(List.of(args).subList(1, args.length));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void commandsReachTheHandlerAndAcksGoBackUp() throws Exception {
    MemoryOutbox outbox = new MemoryOutbox(100, 0);
    List<Command> received = new CopyOnWriteArrayList<>();
    try (TestController controller = new TestController().start();
        FleetUplink uplink =
            new FleetUplink(settings(controller), outbox, () -> HELLO, received::add)) {
      uplink.start();
      await().atMost(5, TimeUnit.SECONDS).until(controller::hasSession);
      controller.send(Command.newBuilder().setCommandId("c-1").build());
      await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 1);
      uplink.send(CommandAck.newBuilder().setCommandId("c-1").setAccepted(true).build());

      await().atMost(5, TimeUnit.SECONDS).until(() -> controller.acks.size() == 1);
      assertThat(controller.acks.getFirst().getCommandId()).isEqualTo("c-1");
    }
  }

  @Test
  void afterAControllerRestartNoSampleIsLostOrDuplicated() throws Exception {
    MemoryOutbox outbox = new MemoryOutbox(1000, 0);
    try (TestController controller = new TestController().start();
        FleetUplink uplink = new FleetUplink(settings(controller), outbox, () -> HELLO, c -> {})) {
      uplink.start();
      await().atMost(5, TimeUnit.SECONDS).until(uplink::connected);
      for (int i = 0; i < 20; i++) {
        outbox.append(sample(i));
        uplink.samplesAvailable();
      }
      await().atMost(5, TimeUnit.SECONDS).until(() -> controller.stored.size() == 20);

      controller.stop();
      await().atMost(5, TimeUnit.SECONDS).until(() -> !uplink.connected());
      for (int i = 20; i < 50; i++) {
        outbox.append(sample(i));
        uplink.samplesAvailable();
      }
      controller.restart();

      await().atMost(10, TimeUnit.SECONDS).until(() -> controller.stored.size() == 50);
      assertThat(controller.stored.keySet())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
      assertThat(controller.stored.values())
          .extracting(TelemetrySample::getPowerW)
          .containsExactlyElementsOf(LongStream.range(0, 50).mapToObj(i -> (double) i).toList());
      assertThat(controller.duplicates.get()).isZero();
      assertThat(controller.hellos).hasSize(2);
      assertThat(controller.hellos.get(1).getLastSequence()).isEqualTo(50);
      assertThat(uplink.sessions()).isGreaterThanOrEqualTo(2);
      await().atMost(5, TimeUnit.SECONDS).until(() -> outbox.size() == 0);
    }
  }

  @Test
  void askedToReconnectTheAgentLeavesOnceAckedThenComesBackOrGoesWhereItIsSent() throws Exception {
    MemoryOutbox outbox = new MemoryOutbox(1000, 0);
    try (TestController home = new TestController().start();
        TestController other = new TestController().start();
        FleetUplink uplink = new FleetUplink(settings(home), outbox, () -> HELLO, c -> {})) {
      uplink.start();
      await().atMost(5, TimeUnit.SECONDS).until(home::hasSession);
      append(outbox, uplink, 0, 10);
      await().atMost(5, TimeUnit.SECONDS).until(() -> home.stored.size() == 10);

      // No endpoints: the configured controller again, after the delay.
      home.sendReconnect(
          Reconnect.newBuilder()
              .setDelayMs(100)
              .setJitterMs(100)
              .setReason("controller shutting down")
              .build());
      await().atMost(5, TimeUnit.SECONDS).until(() -> home.halfCloses.get() == 1);
      await().atMost(5, TimeUnit.SECONDS).until(() -> home.hellos.size() == 2);
      append(outbox, uplink, 10, 15);
      await().atMost(5, TimeUnit.SECONDS).until(() -> outbox.size() == 0);

      home.sendReconnect(Reconnect.newBuilder().addEndpoints(other.target()).build());
      await().atMost(5, TimeUnit.SECONDS).until(() -> home.halfCloses.get() == 2);
      await().atMost(5, TimeUnit.SECONDS).until(other::hasSession);
      append(outbox, uplink, 15, 20);
      await().atMost(5, TimeUnit.SECONDS).until(() -> other.stored.size() == 5);

      assertThat(home.stored.keySet())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 15).boxed().toList());
      assertThat(other.stored.keySet())
          .containsExactlyElementsOf(LongStream.rangeClosed(16, 20).boxed().toList());
      assertThat(home.duplicates.get() + other.duplicates.get()).isZero();
      assertThat(uplink.reconnectRequests()).isEqualTo(2);
      assertThat(uplink.sessions()).isEqualTo(3);
    }
  }

  private static void append(MemoryOutbox outbox, FleetUplink uplink, int from, int to) {
    for (int i = from; i < to; i++) {
      outbox.append(sample(i));
      uplink.samplesAvailable();
    }
  }

  @Test
  void anAgentRestartedWithoutItsSequenceContinuesAfterWhatTheControllerStored() throws Exception {
    try (TestController controller = new TestController().start()) {
      MemoryOutbox before = new MemoryOutbox(100, 0);
      try (FleetUplink uplink =
          new FleetUplink(settings(controller), before, () -> HELLO, c -> {})) {
        for (int i = 0; i < 20; i++) {
          before.append(sample(i));
        }
        uplink.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> controller.stored.size() == 20);
      }
      MemoryOutbox after = new MemoryOutbox(100, 0);
      for (int i = 20; i < 25; i++) {
        after.append(sample(i));
      }
      try (FleetUplink uplink =
          new FleetUplink(settings(controller), after, () -> HELLO, c -> {})) {
        uplink.start();

        await().atMost(5, TimeUnit.SECONDS).until(() -> controller.stored.size() == 25);
        assertThat(controller.stored.get(21L).getPowerW()).isEqualTo(20);
        assertThat(controller.stored.get(25L).getPowerW()).isEqualTo(24);
        assertThat(controller.duplicates.get()).isZero();
      }
    }
  }
}
