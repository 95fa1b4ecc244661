package io.flexrig.agent.source.opcua;

import io.flexrig.agent.source.ReadingSink;
import io.flexrig.agent.source.StreamingSource;

/** One node of the rig's OPC UA server (outlet power, grid frequency) as a streaming source. */
public final class OpcUaNodeSource implements StreamingSource {
  private final String name;
  private final String unit;
  private final OpcUaNodeAddress address;
  private final OpcUaSession session;
  private final boolean fast;
  private final double deadband;

  public OpcUaNodeSource(String name, String unit, OpcUaNodeAddress address, OpcUaSession session) {
    this(name, unit, address, session, false);
  }

  /**
   * @param fast read through the session's fast subscription (see {@link
   *     OpcUaSession#FAST_PUBLISHING}): for values the agent reacts to on its own, like grid
   *     frequency
   */
  public OpcUaNodeSource(
      String name, String unit, OpcUaNodeAddress address, OpcUaSession session, boolean fast) {
    this(name, unit, address, session, fast, 0);
  }

  /**
   * @param deadband report only moves larger than this (absolute, in the node's unit; 0: every
   *     change), see {@link OpcUaSession#FREQUENCY_DEADBAND_HZ}
   */
  public OpcUaNodeSource(
      String name,
      String unit,
      OpcUaNodeAddress address,
      OpcUaSession session,
      boolean fast,
      double deadband) {
    this.deadband = deadband;
    this.name = name;
    this.unit = unit;
    this.address = address;
    this.session = session;
    this.fast = fast;
  }

  @Override
  public String name() {
    return name;
  }

  /** The state of the shared session this node is read through. */
  public OpcUaSession.Status status() {
    return session.status();
  }

  /** Changes of the shared session's state (see {@link OpcUaSession#onStatusChange}). */
  public void onStatusChange(
      java.util.function.BiConsumer<OpcUaSession.Status, OpcUaSession.Status> l) {
    session.onStatusChange(l);
  }

  /** The server this node is read from. */
  public String endpointUrl() {
    return session.endpointUrl();
  }

  public OpcUaNodeAddress address() {
    return address;
  }

  @Override
  public void start(ReadingSink sink) {
    session.watch(address, name, unit, fast, deadband, sink);
  }

  @Override
  public void close() {
    session.unwatch(name);
  }

  @Override
  public String toString() {
    return "OpcUaNodeSource[" + name + " " + address + "]";
  }
}
