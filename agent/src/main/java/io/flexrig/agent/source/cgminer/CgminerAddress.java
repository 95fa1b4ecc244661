package io.flexrig.agent.source.cgminer;

import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.SourceAddress;

/**
 * Where a miner's API listens: {@code cgminer://127.0.0.1:4028} or {@code cgminer:10.0.0.5} (port
 * 4028 by default).
 */
public record CgminerAddress(String host, int port) {
  public static final int DEFAULT_PORT = 4028;

  public CgminerAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("miner host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("miner port out of range: " + port);
    }
  }

  public static CgminerAddress parse(String address) {
    SourceAddress a = SourceAddress.parse(address);
    if (!a.scheme().equals("cgminer")) {
      throw new InvalidAddressException(address, "scheme must be 'cgminer'");
    }
    String rest = a.rest();
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      rest = rest.substring(0, slash);
    }
    String host = rest;
    int port = DEFAULT_PORT;
    int colon = rest.lastIndexOf(':');
    if (rest.startsWith("[")) { // [::1]:4028
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new InvalidAddressException(address, "unclosed '[' in IPv6 host");
      }
      host = rest.substring(1, close);
      colon = rest.indexOf(':', close);
    } else if (colon >= 0) {
      host = rest.substring(0, colon);
    }
    if (colon >= 0) {
      String p = rest.substring(colon + 1);
      try {
        port = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new InvalidAddressException(address, "port '" + p + "' is not a number");
      }
      if (port < 1 || port > 65535) {
        throw new InvalidAddressException(address, "port " + port + " out of range 1-65535");
      }
    }
    if (host.isBlank()) {
      throw new InvalidAddressException(address, "no host");
    }
    return new CgminerAddress(host, port);
  }

  @Override
  public String toString() {
    return "cgminer://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
