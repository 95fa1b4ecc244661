package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.AgentMessage;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.TelemetryBatch;
import io.flexrig.proto.v1.TelemetrySample;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever an agent or grid operator sends that breaks a rule is refused with the reason. */
@Tag("integration")
class AgentInputValidationTest {

  private static final String SITE = "site-1";

  @TempDir Path dir;
  private FleetController controller;
  private ManagedChannel channel;
  private final List<ScriptedAgent> agents = new ArrayList<>();

  @BeforeEach
  void start() {
    controller =
        new FleetController(
                new ControllerConfig(
                    0, dir.resolve("c.db"), true, Duration.ofMillis(200), Clock.systemUTC()))
            .start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ScriptedAgent a : agents) {
      a.close();
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    controller.close();
  }

  private ScriptedAgent connected(String rigId) throws Exception {
    ScriptedAgent a = new ScriptedAgent(controller.port(), rigId, 3000, 20);
    agents.add(a);
    a.hello(ScriptedAgent.asicHello(rigId, SITE, 3000, 29.5, 2000));
    a.helloAccepted.get(10, TimeUnit.SECONDS);
    return a;
  }

  private static TelemetrySample.Builder good(long seq) {
    Instant now = Instant.now();
    return TelemetrySample.newBuilder()
        .setSequence(seq)
        .setSampledAt(
            Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setPowerW(3000)
        .setPowerQuality(Quality.QUALITY_GOOD)
        .setHashrateThs(100)
        .setChipTempMaxC(70);
  }

  private static AgentMessage batch(TelemetrySample.Builder... samples) {
    TelemetryBatch.Builder b = TelemetryBatch.newBuilder();
    for (TelemetrySample.Builder s : samples) {
      b.addSamples(s);
    }
    return AgentMessage.newBuilder().setTelemetry(b).build();
  }

  private long storedSamples() throws Exception {
    return count("SELECT COUNT(*) FROM telemetry");
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void assertRefusedAndNothingKept(
      UnaryOperator<TelemetrySample.Builder> breakIt, Status.Code code, String reason)
      throws Exception {
    ScriptedAgent a = connected("rig-1");

    a.send(batch(good(1), breakIt.apply(good(2))));

    Status status = a.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(code);
    assertThat(status.getDescription()).contains(reason);
    assertThat(a.ackedThrough.get()).isZero();
    assertThat(storedSamples()).isZero();
    assertThat(controller.fleet().siteLoad(SITE).measuredW()).isZero();
  }

  @Test
  void aNanPowerRefusesTheWholeBatchAsInvalid() throws Exception {
    assertRefusedAndNothingKept(
        s -> s.setPowerW(Double.NaN), Status.Code.INVALID_ARGUMENT, "samples[1].power_w");
  }

  @Test
  void aNegativePowerRefusesTheWholeBatchAsInvalid() throws Exception {
    assertRefusedAndNothingKept(
        s -> s.setPowerW(-5), Status.Code.INVALID_ARGUMENT, "samples[1].power_w");
  }

  @Test
  void anInfiniteTemperatureIsInvalid() throws Exception {
    assertRefusedAndNothingKept(
        s -> s.setChipTempMaxC(Double.POSITIVE_INFINITY),
        Status.Code.INVALID_ARGUMENT,
        "chip_temp_max_c");
  }

  @Test
  void aSampleFromTheFarFutureIsInvalid() throws Exception {
    assertRefusedAndNothingKept(
        s ->
            s.setSampledAt(
                Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond() + 86_400 * 30)),
        Status.Code.INVALID_ARGUMENT,
        "sampled_at");
  }

  @Test
  void tooManySamplesInOneBatchAreRefusedAsResourceExhausted() throws Exception {
    ScriptedAgent a = connected("rig-1");
    TelemetrySample.Builder[] samples = new TelemetrySample.Builder[1_001];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = good(i + 1);
    }

    a.send(batch(samples));

    Status status = a.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).contains("1001");
    assertThat(storedSamples()).isZero();
  }

  @Test
  void aMessageAboveTheInboundSizeLimitEndsTheStreamAndIsNotStored() throws Exception {
    ScriptedAgent a = connected("rig-1");

    a.send(
        AgentMessage.newBuilder()
            .setAlarm(Alarm.newBuilder().setAlarmId("a-1").setMessage("x".repeat(5 << 20)))
            .build());

    // The server refuses it while deframing (RESOURCE_EXHAUSTED on its side); the transport
    // resets the stream, which the client sees as CANCELLED.
    Status status = a.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);
    assertThat(count("SELECT COUNT(*) FROM alarms")).isZero();
  }

  @Test
  void aCommandAckWithANanPowerIsInvalid() throws Exception {
    ScriptedAgent a = connected("rig-1");

    a.send(
        AgentMessage.newBuilder()
            .setCommandAck(
                CommandAck.newBuilder()
                    .setCommandId("cmd-1")
                    .setAccepted(true)
                    .setAppliedPowerW(Double.NaN))
            .build());

    Status status = a.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("applied_power_w");
  }

  @Test
  void aRigIdWithCharactersOutsideTheIdAlphabetIsInvalid() throws Exception {
    ScriptedAgent a = new ScriptedAgent(controller.port(), "rig/../1", 3000, 20);
    agents.add(a);

    a.hello(ScriptedAgent.asicHello("rig/../1", SITE, 3000, 29.5, 2000));

    Status status = a.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("rig_id");
    assertThat(controller.fleet().knowsSite(SITE)).isFalse();
  }

  @Test
  void gridRequestsInThePastOrBeyondAnySiteAreInvalidAndChangeNothing() throws Exception {
    ScriptedAgent a = connected("rig-1");
    a.send(batch(good(1)));
    var grid = GridServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    Instant now = Instant.now();
    CreateCurtailmentEventRequest valid =
        CreateCurtailmentEventRequest.newBuilder()
            .setSiteId(SITE)
            .setRequestId("req-1")
            .setReduceByKw(1)
            .setStartAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond() + 60))
            .setResponseTimeS(600)
            .setEndAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond() + 3600))
            .build();

    List<CreateCurtailmentEventRequest> broken =
        List.of(
            valid.toBuilder()
                .setStartAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond() - 3600))
                .build(),
            valid.toBuilder().setReduceByKw(Double.NaN).build(),
            valid.toBuilder().setReduceByKw(1e12).build(),
            valid.toBuilder().setRequestId("r".repeat(500)).build(),
            valid.toBuilder().setSiteId("no-such-site").build());
    for (CreateCurtailmentEventRequest request : broken) {
      assertThatThrownBy(() -> grid.createCurtailmentEvent(request))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).isNotBlank();
              });
    }
    assertThat(
            grid.listCurtailmentEvents(
                    ListCurtailmentEventsRequest.newBuilder().setSiteId(SITE).build())
                .getEventsCount())
        .isZero();
  }
}
