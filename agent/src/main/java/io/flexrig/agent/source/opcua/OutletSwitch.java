package io.flexrig.agent.source.opcua;

import java.io.IOException;

/** A PDU outlet's On switch: the hard cut (RELAY_CUT) and its undo. */
public final class OutletSwitch {
  private final OpcUaSession session;
  private final OpcUaNodeAddress node;

  public OutletSwitch(OpcUaSession session, OpcUaNodeAddress node) {
    this.session = session;
    this.node = node;
  }

  public void set(boolean on) throws IOException {
    session.write(node, on);
  }
}
