package io.flexrig.agent.door;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the agent serves {@code AgentService}.
 *
 * @param port TCP port; 0 picks a free one (tests)
 * @param bindAddress address to listen on; loopback unless the site's controllers are remote
 * @param plaintext no TLS and no caller check: development only, refused unless bound to loopback
 * @param tlsCert the agent's server certificate (PEM, {@code extendedKeyUsage=serverAuth})
 * @param tlsKey its private key (PKCS#8 PEM)
 * @param clientCa the site CA that signed the callers' client certificates
 */
public record AgentApiSettings(
    int port, String bindAddress, boolean plaintext, Path tlsCert, Path tlsKey, Path clientCa) {

  /** Loopback: a remote caller needs an explicit bind address. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  public AgentApiSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("agent_api_port must be 0-65535: " + port);
    }
    Objects.requireNonNull(bindAddress, "agent_api_bind");
    if (!plaintext && (tlsCert == null || tlsKey == null || clientCa == null)) {
      throw new IllegalArgumentException(
          "agent_api_tls_cert, agent_api_tls_key and agent_api_client_ca are required unless"
              + " agent_api_plaintext (development, loopback only)");
    }
  }

  /** Plaintext on loopback, for development and tests. */
  public static AgentApiSettings plaintextLoopback(int port) {
    return new AgentApiSettings(port, DEFAULT_BIND, true, null, null, null);
  }

  /** Mutual TLS on {@code bindAddress}. */
  public static AgentApiSettings mutualTls(
      int port, String bindAddress, Path tlsCert, Path tlsKey, Path clientCa) {
    return new AgentApiSettings(port, bindAddress, false, tlsCert, tlsKey, clientCa);
  }
}
