package io.flexrig.agent.scada;

import io.flexrig.agent.source.opcua.OpcUaSecurity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * How the agent serves its rig to a site's SCADA over OPC UA ({@code opcua_server_*} in
 * agent.yaml). SecurityPolicy None is accepted only on a loopback bind address unless {@code
 * allowNoneOffLoopback} says otherwise; Basic256Sha256 with SignAndEncrypt takes the server's
 * certificate and key and a directory of the client certificates it accepts.
 *
 * @param port TCP port; 0 picks a free one (tests)
 * @param bindAddress the address to listen on ({@value #DEFAULT_BIND} unless configured)
 * @param hostname the host name or address advertised in the endpoint URL; the bind address when
 *     null (a wildcard bind then advertises this machine's host name)
 * @param security None, or Basic256Sha256 with the server's certificate, key and the trusted client
 *     certificates' directory
 * @param allowNoneOffLoopback serve SecurityPolicy None on a non-loopback address (a closed plant
 *     network whose SCADA cannot do security); off by default
 */
public record ScadaSettings(
    int port,
    String bindAddress,
    String hostname,
    OpcUaSecurity security,
    boolean allowNoneOffLoopback) {

  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 4841;

  public ScadaSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("opcua_server_port must be 1-65535, got " + port);
    }
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(security, "security");
    if (!security.secure() && !allowNoneOffLoopback && !loopback(bindAddress)) {
      throw new IllegalArgumentException(
          "opcua_server_bind "
              + bindAddress
              + " is not a loopback address: serve it with opcua_server_security: basic256sha256,"
              + " or set opcua_server_allow_none: true for a closed plant network");
    }
  }

  /** SecurityPolicy None on 127.0.0.1: the development setting. */
  public static ScadaSettings loopback(int port) {
    return new ScadaSettings(port, DEFAULT_BIND, null, OpcUaSecurity.NONE, false);
  }

  /** The host name put in the endpoint URL. */
  public String advertisedHost() {
    if (hostname != null && !hostname.isBlank()) {
      return hostname;
    }
    if (bindAddress.equals("0.0.0.0") || bindAddress.equals("::")) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return bindAddress;
      }
    }
    return bindAddress;
  }

  private static boolean loopback(String address) {
    if (address.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // only literal addresses: a host name is not resolved to decide about security
      if (!address.matches("[0-9.]+|[0-9a-fA-F:]+")) {
        return false;
      }
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
