package io.flexrig.agent.source.opcua;

import java.io.IOException;

/**
 * An OPC UA connection refused for security: no endpoint with the configured policy, a server
 * certificate not in the trust list, or the server refusing the agent's certificate. The message
 * says which and what to do; retrying without a change of configuration will not help.
 */
public final class OpcUaRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  public OpcUaRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
