package io.flexrig.cli;

/**
 * Where the controller listens: {@code host:port}, {@code [v6-address]:port}, or a bare host (port
 * 7443).
 */
record ControllerAddress(String host, int port) {

  static final int DEFAULT_PORT = 7443;
  static final String DEFAULT = "127.0.0.1:" + DEFAULT_PORT;

  ControllerAddress {
    if (host.isBlank()) {
      throw new IllegalArgumentException("controller host is empty");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("controller port must be in 1..65535, got " + port);
    }
  }

  static ControllerAddress parse(String text) {
    String t = text.strip();
    String host;
    String port;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + text + "': missing ']' after IPv6 address");
      }
      host = t.substring(1, close);
      String rest = t.substring(close + 1);
      port = rest.isEmpty() ? null : rest.startsWith(":") ? rest.substring(1) : "?";
    } else {
      int colon = t.lastIndexOf(':');
      if (colon >= 0 && t.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "'" + text + "': write an IPv6 address in brackets, e.g. [::1]:7443");
      }
      host = colon < 0 ? t : t.substring(0, colon);
      port = colon < 0 ? null : t.substring(colon + 1);
    }
    if (port == null) {
      return new ControllerAddress(host, DEFAULT_PORT);
    }
    try {
      return new ControllerAddress(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not host:port (e.g. controller.example.net:7443)", e);
    }
  }

  boolean isLoopback() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
