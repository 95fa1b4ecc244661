package io.flexrig.controller.grpc;

import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.store.ControllerStore;
import io.flexrig.proto.v1.AgentMessage;
import io.flexrig.proto.v1.ControllerMessage;
import io.flexrig.proto.v1.FleetServiceGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;

/** The agents' door: one {@link AgentSession} per Connect stream. */
public final class FleetServiceImpl extends FleetServiceGrpc.FleetServiceImplBase {

  private final FleetState fleet;
  private final ControllerStore store;
  private final SessionRegistry sessions;
  private final Clock clock;
  private final Duration telemetryInterval;

  public FleetServiceImpl(
      FleetState fleet,
      ControllerStore store,
      SessionRegistry sessions,
      Clock clock,
      Duration telemetryInterval) {
    this.fleet = fleet;
    this.store = store;
    this.sessions = sessions;
    this.clock = clock;
    this.telemetryInterval = telemetryInterval;
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> responses) {
    var out = (ServerCallStreamObserver<ControllerMessage>) responses;
    out.disableAutoRequest();
    AgentSession session =
        new AgentSession(out, fleet, store, sessions, clock, telemetryInterval, Caller.current());
    out.setOnReadyHandler(session::drain);
    out.setOnCancelHandler(session::cancelled);
    out.request(1); // the hello; the session opens its window after accepting it
    return session;
  }
}
