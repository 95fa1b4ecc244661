package io.flexrig.controller.grpc;

import io.flexrig.controller.events.CommandSender;
import io.flexrig.controller.events.RigCommand;
import io.flexrig.proto.v1.ControllerMessage;
import io.flexrig.proto.v1.Reconnect;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The live agent sessions by rig id; delivers commands to them. */
public final class SessionRegistry implements CommandSender {

  private final ConcurrentHashMap<String, AgentSession> sessions = new ConcurrentHashMap<>();
  // Set once the controller is shutting down: sessions opened after it are told at once.
  private volatile ControllerMessage goAway;

  /** Makes {@code session} the rig's session; returns the one it replaces, if any. */
  AgentSession bind(String rigId, AgentSession session) {
    return sessions.put(rigId, session);
  }

  void unbind(String rigId, AgentSession session) {
    sessions.remove(rigId, session);
  }

  @Override
  public boolean send(RigCommand command) {
    AgentSession session = sessions.get(command.rigId());
    return session != null && session.sendCommand(ProtoMapping.command(command));
  }

  /** Number of live sessions. */
  public int size() {
    return sessions.size();
  }

  /**
   * Asks every agent, and every agent whose hello is accepted from now on, to leave and reconnect
   * as {@code reconnect} says (controller shutdown). The sessions stay open until the agents leave.
   */
  public void goAway(Reconnect reconnect) {
    ControllerMessage m = ControllerMessage.newBuilder().setReconnect(reconnect).build();
    goAway = m;
    for (AgentSession session : List.copyOf(sessions.values())) {
      session.goAway(m);
    }
  }

  /** The goodbye of a controller shutting down; null while it is not. */
  ControllerMessage goingAway() {
    return goAway;
  }

  /** Ends every session (controller shutdown): agents reconnect, elsewhere or later. */
  public void closeAll(Status status) {
    for (AgentSession session : List.copyOf(sessions.values())) {
      session.fail(status);
    }
  }
}
