package io.flexrig.agent.door;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.proto.v1.AgentServiceGrpc;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.GetRigRequest;
import io.flexrig.proto.v1.GetSnapshotRequest;
import io.flexrig.proto.v1.ListActiveCommandsRequest;
import io.flexrig.proto.v1.ListActiveCommandsResponse;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.ReleaseRequest;
import io.flexrig.proto.v1.RigDescription;
import io.flexrig.proto.v1.SetPowerTargetRequest;
import io.flexrig.proto.v1.SleepRequest;
import io.flexrig.proto.v1.TelemetrySample;
import io.flexrig.proto.v1.WatchTelemetryRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AgentService over a real socket (plaintext on loopback) in front of a simulated rig. */
@Tag("integration")
class AgentServiceTest {
  private static DoorRig rig;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    rig = new DoorRig(AgentApiSettings.plaintextLoopback(0));
    channel = Grpc.newChannelBuilder(rig.target(), InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    rig.close();
  }

  private AgentServiceGrpc.AgentServiceBlockingStub stub() {
    return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  private static SetPowerTargetRequest.Builder target(double watts) {
    Instant now = Instant.now();
    return SetPowerTargetRequest.newBuilder()
        .setPowerW(watts)
        .setDeadline(FleetMessages.timestamp(now.plusSeconds(30)))
        .setExpiresAt(FleetMessages.timestamp(now.plusSeconds(600)));
  }

  @Test
  void getRigDescribesIdentityNameplateLimitsAndCapabilities() {
    RigDescription d = stub().getRig(GetRigRequest.getDefaultInstance());

    assertThat(d.getRig().getRigId()).isEqualTo(DoorRig.RIG);
    assertThat(d.getRig().getHardwareProfileId()).isEqualTo("antminer-s19j-pro");
    assertThat(d.getNameplate().getPowerW()).isEqualTo(3068);
    assertThat(d.getLimits().getMaxPowerW()).isEqualTo(rig.profile.limits().maxPowerW());
    assertThat(d.getLimits().getMinPowerTargetW()).isEqualTo(1500);
    assertThat(d.getLimits().getRampWPerS()).isEqualTo(150);
    assertThat(d.getLimits().getChipTempCriticalC())
        .isEqualTo(rig.profile.limits().chipTempC().criticalC());
    assertThat(d.getCapabilitiesCount()).isEqualTo(3);
  }

  @Test
  void watchTelemetryStreamsNumberedSamplesOfMeasuredPower() {
    Iterator<TelemetrySample> it =
        stub().watchTelemetry(WatchTelemetryRequest.newBuilder().setMaxSamples(3).build());
    List<TelemetrySample> samples = new ArrayList<>();
    it.forEachRemaining(samples::add);

    assertThat(samples).hasSize(3);
    assertThat(samples).extracting(TelemetrySample::getSequence).isSorted().doesNotHaveDuplicates();
    assertThat(samples.getFirst().getSequence()).isPositive();
    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(
            () ->
                stub().getSnapshot(GetSnapshotRequest.getDefaultInstance()).getPowerQuality()
                    == Quality.QUALITY_GOOD);
  }

  @Test
  void outOfRangeTargetIsClampedAppliedAndReportedAsClamped() {
    CommandAck ack = stub().setPowerTarget(target(100).setCommandId("low-1").build());

    assertThat(ack.getAccepted()).isTrue();
    assertThat(ack.getClamped()).isTrue();
    assertThat(ack.getAppliedPowerW()).isEqualTo(1500);
    assertThat(ack.getReason()).contains("clamped from 100 W to 1500 W");
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> rig.site.rig(DoorRig.RIG).powerTargetW() == 1500);
    ListActiveCommandsResponse list =
        stub().listActiveCommands(ListActiveCommandsRequest.getDefaultInstance());
    assertThat(list.getActiveList()).hasSize(1);
    assertThat(list.getActive(0).getCommand().getCommandId()).isEqualTo("low-1");
    assertThat(list.getActive(0).getSource()).isEqualTo(CommandLedger.AGENT_API);
    assertThat(list.getActive(0).getAck().getClamped()).isTrue();
    // the same ack went up to the fleet controller: both doors mean the same
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> rig.controller.acks.stream().anyMatch(a -> a.getCommandId().equals("low-1")));

    CommandAck high = stub().setPowerTarget(target(99_000).setCommandId("high-1").build());
    assertThat(high.getClamped()).isTrue();
    assertThat(high.getAppliedPowerW()).isEqualTo(rig.profile.limits().maxPowerW());

    assertThat(
            stub()
                .release(ReleaseRequest.newBuilder().setCommandId("release-1").build())
                .getAccepted())
        .isTrue();
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                stub()
                        .listActiveCommands(ListActiveCommandsRequest.getDefaultInstance())
                        .getActiveCount()
                    == 0);
  }

  @Test
  void malformedRequestsAreRefusedWithTheReasonAndChangeNothing() {
    double before = rig.site.rig(DoorRig.RIG).powerTargetW();
    String activeBefore = activeCommandId();
    Instant now = Instant.now();

    assertInvalid(target(Double.NaN).setCommandId("bad-nan"), "power_w");
    assertInvalid(target(-5).setCommandId("bad-negative"), "power_w");
    assertInvalid(target(2000).clearDeadline().setCommandId("bad-no-deadline"), "deadline missing");
    assertInvalid(
        target(2000).clearExpiresAt().setCommandId("bad-no-expiry"), "expires_at missing");
    assertInvalid(
        target(2000)
            .setDeadline(FleetMessages.timestamp(now.plusSeconds(700)))
            .setCommandId("bad-order"),
        "after expires_at");
    assertInvalid(
        target(2000)
            .setDeadline(FleetMessages.timestamp(now.minusSeconds(20)))
            .setExpiresAt(FleetMessages.timestamp(now.minusSeconds(10)))
            .setCommandId("bad-expired"),
        "expired");
    assertThatThrownBy(
            () -> stub().sleep(SleepRequest.newBuilder().setCommandId("bad-sleep").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

    assertThat(rig.site.rig(DoorRig.RIG).powerTargetW()).isEqualTo(before);
    assertThat(activeCommandId()).isEqualTo(activeBefore);
    assertThat(rig.controller.acks).noneMatch(a -> a.getCommandId().startsWith("bad-"));
  }

  private String activeCommandId() {
    ListActiveCommandsResponse list =
        stub().listActiveCommands(ListActiveCommandsRequest.getDefaultInstance());
    return list.getActiveCount() == 0 ? "" : list.getActive(0).getCommand().getCommandId();
  }

  private void assertInvalid(SetPowerTargetRequest.Builder request, String reason) {
    assertThatThrownBy(() -> stub().setPowerTarget(request.build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains(reason);
            });
  }

  @Test
  void healthIsServingForTheServerAndAgentService() {
    var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            health
                .check(
                    HealthCheckRequest.newBuilder()
                        .setService(AgentServiceGrpc.SERVICE_NAME)
                        .build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void reflectionListsAgentService() throws Exception {
    assertThat(reflectedServices(channel)).contains("flexrig.v1.AgentService");
  }

  static List<String> reflectedServices(ManagedChannel channel) throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    names.complete(
                        r.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    names.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> result = names.get(5, TimeUnit.SECONDS);
    requests.onCompleted();
    return result;
  }
}
