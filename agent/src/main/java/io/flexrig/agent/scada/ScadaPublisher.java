package io.flexrig.agent.scada;

import io.flexrig.agent.status.RigStatus;

/**
 * Where the agent hands each new status for a site's SCADA. The agent holds only this interface, so
 * the OPC UA server's classes are not even loaded while the server is disabled.
 */
public interface ScadaPublisher extends AutoCloseable {

  /** Publishes a new status; cheap, called on the agent's control thread after every snapshot. */
  void publish(RigStatus status);

  /** The endpoint clients connect to, {@code opc.tcp://host:port/flexrig}. */
  String endpointUrl();

  @Override
  void close();
}
