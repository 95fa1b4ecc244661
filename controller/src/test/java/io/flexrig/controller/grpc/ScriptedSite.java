package io.flexrig.controller.grpc;

import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real controller (SQLite store in a test's folder) with one site of scripted 3 kW ASIC agents
 * connected over loopback gRPC and streaming telemetry, and a grid-operator channel to it.
 */
final class ScriptedSite implements AutoCloseable {

  private final String siteId;
  private final FleetController controller;
  private final ManagedChannel channel;
  private final List<ScriptedAgent> agents = new ArrayList<>();

  private ScriptedSite(Path dir, String siteId, List<String> rigIds) {
    this.siteId = siteId;
    controller =
        new FleetController(
                new ControllerConfig(
                    0, dir.resolve("c.db"), true, Duration.ofMillis(200), Clock.systemUTC()))
            .start();
    for (String rig : rigIds) {
      ScriptedAgent agent = new ScriptedAgent(controller.port(), rig, 3000, 20);
      agents.add(agent);
      agent.hello(ScriptedAgent.asicHello(rig, siteId, 3000, 29.5, 1500));
      agent.streamTelemetry(200);
    }
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
  }

  /** Starts the controller and connects one agent per rig id to it. */
  static ScriptedSite start(Path dir, String siteId, String... rigIds) {
    return new ScriptedSite(dir, siteId, List.of(rigIds));
  }

  FleetController controller() {
    return controller;
  }

  /** The site's events as the grid operator lists them, newest first. */
  List<CurtailmentEvent> events() {
    return GridServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .listCurtailmentEvents(ListCurtailmentEventsRequest.newBuilder().setSiteId(siteId).build())
        .getEventsList();
  }

  @Override
  public void close() throws InterruptedException {
    for (ScriptedAgent agent : agents) {
      agent.close();
    }
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    controller.close();
  }
}
