package io.flexrig.controller.events;

/** Delivers commands to rigs' live sessions (implemented by the gRPC adapter). */
public interface CommandSender {

  /**
   * Queues the command on the rig's session; false when the rig has no live session or its outbound
   * queue is full (the closed loop will try again).
   */
  boolean send(RigCommand command);
}
