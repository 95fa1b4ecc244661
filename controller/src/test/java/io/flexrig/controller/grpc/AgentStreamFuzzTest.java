package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.AgentMessage;
import io.flexrig.proto.v1.ControllerMessage;
import io.flexrig.proto.v1.FleetServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Whatever an agent (or something pretending to be one) sends on its session, the controller ends
 * the session normally or refuses it with a status and a reason; an exception escaping a handler
 * (UNKNOWN, INTERNAL) or a failing store (UNAVAILABLE) is a finding. Sessions run against a real
 * controller over a real socket: a hello (well-formed or fuzzed) followed by fuzzed messages.
 */
@Tag("fuzz")
@Tag("integration")
class AgentStreamFuzzTest {
  private static final Set<Status.Code> ENDINGS =
      Set.of(
          Status.Code.OK,
          Status.Code.INVALID_ARGUMENT,
          Status.Code.PERMISSION_DENIED,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED);

  private static FleetController controller;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws IOException {
    controller =
        new FleetController(
                new ControllerConfig(
                    0,
                    Files.createTempDirectory("agent-fuzz").resolve("controller.db"),
                    true,
                    Duration.ofMillis(200),
                    Clock.systemUTC()))
            .start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    controller.close();
  }

  @FuzzTest(maxDuration = "20s")
  void everySessionEndsNormallyOrIsRefusedWithAReason(FuzzedDataProvider data) throws Exception {
    AgentHello hello =
        data.consumeBoolean()
            ? ScriptedAgent.asicHello("fuzz-" + data.consumeInt(0, 7), "site-1", 3000, 30, 1500)
            : parse(data.consumeBytes(400), AgentHello.getDefaultInstance());
    CompletableFuture<Status> ended = new CompletableFuture<>();
    StreamObserver<AgentMessage> session =
        FleetServiceGrpc.newStub(channel)
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .connect(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ControllerMessage value) {}

                  @Override
                  public void onError(Throwable t) {
                    ended.complete(Status.fromThrowable(t));
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(Status.OK);
                  }
                });
    session.onNext(AgentMessage.newBuilder().setHello(hello).build());
    for (int n = data.consumeInt(0, 4); n > 0; n--) {
      session.onNext(parse(data.consumeBytes(600), AgentMessage.getDefaultInstance()));
    }
    session.onCompleted();

    Status status = ended.get(30, TimeUnit.SECONDS);
    assertThat(ENDINGS).as("how the session ended: %s", status).contains(status.getCode());
    if (!status.isOk()) {
      assertThat(status.getDescription()).as("the reason given with %s", status).isNotBlank();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends com.google.protobuf.Message> T parse(byte[] bytes, T prototype) {
    try {
      return (T) prototype.getParserForType().parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return prototype; // not a message at all: the empty one is still worth sending
    }
  }
}
