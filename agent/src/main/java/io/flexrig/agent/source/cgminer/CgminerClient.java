package io.flexrig.agent.source.cgminer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The cgminer TCP API: one connection per command, the JSON request written, the reply read until
 * the NUL byte the miner ends it with or until it closes the connection.
 */
public final class CgminerClient {
  /** Far larger than any real reply (Antminer {@code stats} is a few kB); guards the heap. */
  static final int MAX_REPLY_BYTES = 256 * 1024;

  private final CgminerAddress address;
  private final int connectTimeoutMs;
  private final int readTimeoutMs;

  public CgminerClient(CgminerAddress address, Duration connectTimeout, Duration readTimeout) {
    this.address = address;
    this.connectTimeoutMs = Math.toIntExact(connectTimeout.toMillis());
    this.readTimeoutMs = Math.toIntExact(readTimeout.toMillis());
  }

  public CgminerAddress address() {
    return address;
  }

  /** Sends {@code {"command":..}} and returns the raw reply (without the NUL). */
  public String send(String command) throws IOException {
    return send(command, null);
  }

  /** Sends {@code {"command":..,"parameter":..}} and returns the raw reply (without the NUL). */
  public String send(String command, String parameter) throws IOException {
    StringBuilder request = new StringBuilder(64).append("{\"command\":\"");
    appendEscaped(request, command).append('"');
    if (parameter != null) {
      request.append(",\"parameter\":\"");
      appendEscaped(request, parameter).append('"');
    }
    request.append('}');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.host(), address.port()), connectTimeoutMs);
      socket.setSoTimeout(readTimeoutMs);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return readReply(socket.getInputStream(), command);
    } catch (java.net.SocketTimeoutException e) {
      throw new java.net.SocketTimeoutException(
          "miner " + address + " did not answer '" + command + "' in time: " + e.getMessage());
    }
  }

  private static String readReply(InputStream in, String command) throws IOException {
    ByteArrayOutputStream reply = new ByteArrayOutputStream(4096);
    byte[] buf = new byte[4096];
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      int nul = indexOfNul(buf, n);
      reply.write(buf, 0, nul < 0 ? n : nul);
      if (nul >= 0) {
        break;
      }
      if (reply.size() > MAX_REPLY_BYTES) {
        throw new CgminerProtocolException(
            "reply to '" + command + "' exceeds " + MAX_REPLY_BYTES + " bytes");
      }
    }
    if (reply.size() == 0) {
      throw new CgminerProtocolException(
          "miner closed the connection without replying to '" + command + "'");
    }
    return reply.toString(StandardCharsets.UTF_8);
  }

  private static int indexOfNul(byte[] buf, int n) {
    for (int i = 0; i < n; i++) {
      if (buf[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static StringBuilder appendEscaped(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb;
  }
}
