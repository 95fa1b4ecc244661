package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.Timestamp;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.CancelCurtailmentEventRequest;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Whatever a grid operator's client sends, the controller answers it or refuses it with a status
 * that says why, and a refused event leaves nothing behind. Requests go to a real controller over a
 * real socket; Jazzer builds them field by field so most reach the validation behind the parser.
 */
@Tag("fuzz")
@Tag("integration")
class GridRequestFuzzTest {
  /** Refusals a client can act on; UNKNOWN or INTERNAL would mean an exception escaped. */
  private static final Set<Status.Code> REFUSALS =
      Set.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.ALREADY_EXISTS,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.OUT_OF_RANGE);

  private static Path dir;
  private static FleetController controller;
  private static ManagedChannel channel;
  private static GridServiceGrpc.GridServiceBlockingStub grid;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("grid-fuzz");
    controller =
        new FleetController(
                new ControllerConfig(
                    0,
                    dir.resolve("controller.db"),
                    true,
                    Duration.ofMillis(200),
                    Clock.systemUTC()))
            .start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
    grid = GridServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    controller.close();
  }

  @FuzzTest(maxDuration = "20s")
  void everyGridRequestIsAnsweredOrRefusedWithAReason(FuzzedDataProvider data) {
    GridServiceGrpc.GridServiceBlockingStub call = grid.withDeadlineAfter(10, TimeUnit.SECONDS);
    switch (data.consumeInt(0, 3)) {
      case 0 -> create(call, data);
      case 1 ->
          expectAnsweredOrRefused(
              () ->
                  call.cancelCurtailmentEvent(
                      CancelCurtailmentEventRequest.newBuilder()
                          .setEventId(data.consumeString(80))
                          .build()));
      case 2 ->
          expectAnsweredOrRefused(
              () ->
                  call.getEventStatus(
                      GetEventStatusRequest.newBuilder()
                          .setEventId(data.consumeString(80))
                          .build()));
      default ->
          expectAnsweredOrRefused(
              () ->
                  call.listCurtailmentEvents(
                      ListCurtailmentEventsRequest.newBuilder()
                          .setSiteId(data.consumeString(80))
                          .setLimit(data.consumeInt())
                          .build()));
    }
  }

  private static void create(
      GridServiceGrpc.GridServiceBlockingStub call, FuzzedDataProvider data) {
    Instant now = Instant.now();
    CreateCurtailmentEventRequest.Builder request =
        CreateCurtailmentEventRequest.newBuilder()
            .setSiteId(data.consumeBoolean() ? "site-1" : data.consumeString(80))
            .setRequestId(data.consumeString(80))
            .setProgram(data.consumeString(80))
            .setResponseTimeS(data.consumeDouble());
    switch (data.consumeInt(0, 2)) {
      case 0 -> request.setReduceByKw(data.consumeDouble());
      case 1 -> request.setCapSiteKw(data.consumeDouble());
      default -> {} // no target at all
    }
    if (data.consumeBoolean()) {
      request.setStartAt(instant(data, now));
    }
    if (data.consumeBoolean()) {
      request.setEndAt(instant(data, now));
    }
    CreateCurtailmentEventRequest sent = request.build();
    int before = eventsOf(sent.getSiteId());
    Status status = expectAnsweredOrRefused(() -> call.createCurtailmentEvent(sent));
    if (!status.isOk() && before >= 0) {
      assertThat(eventsOf(sent.getSiteId()))
          .as("a refused event (%s) must not be stored", status)
          .isEqualTo(before);
    }
  }

  /** Mostly near now, so deadlines and windows are plausible; sometimes any bit pattern. */
  private static Timestamp instant(FuzzedDataProvider data, Instant now) {
    long seconds =
        data.consumeBoolean()
            ? now.getEpochSecond() + data.consumeLong(-86_400L * 10, 86_400L * 10)
            : data.consumeLong();
    return Timestamp.newBuilder().setSeconds(seconds).setNanos(data.consumeInt()).build();
  }

  private static int eventsOf(String siteId) {
    try {
      return grid.withDeadlineAfter(10, TimeUnit.SECONDS)
          .listCurtailmentEvents(
              ListCurtailmentEventsRequest.newBuilder().setSiteId(siteId).setLimit(1000).build())
          .getEventsCount();
    } catch (StatusRuntimeException e) {
      return -1; // the site id itself is refused: nothing to count
    }
  }

  private static Status expectAnsweredOrRefused(Runnable call) {
    try {
      call.run();
      return Status.OK;
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      assertThat(REFUSALS).as("status of a refusal: %s", status).contains(status.getCode());
      assertThat(status.getDescription()).as("the reason given with %s", status).isNotBlank();
      return status;
    }
  }
}
