package io.flexrig.agent.source.cgminer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cgminer-API peer on a loopback socket that answers each command with a recorded reply (and
 * refuses unknown ones the way cgminer does), so a source can be driven through the real TCP
 * protocol with a firmware family's replies.
 */
final class RecordedMinerServer implements AutoCloseable {
  private static final Pattern COMMAND = Pattern.compile("\"command\"\\s*:\\s*\"([^\"]*)\"");

  private final ServerSocket socket;
  private final Map<String, String> replies;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  RecordedMinerServer(Map<String, String> replies) throws IOException {
    this.replies = Map.copyOf(replies);
    this.socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofPlatform().daemon().name("recorded-miner").start(this::serve);
  }

  int port() {
    return socket.getLocalPort();
  }

  /** The commands received, in order. */
  List<String> asked() {
    return asked;
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        s.setSoTimeout(2000);
        InputStream in = s.getInputStream();
        StringBuilder request = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
          request.append((char) c);
          if (c == '}') {
            break;
          }
        }
        Matcher m = COMMAND.matcher(request);
        String command = m.find() ? m.group(1) : "";
        asked.add(command);
        String reply =
            replies.getOrDefault(
                command,
                "{\"STATUS\":[{\"STATUS\":\"E\",\"When\":1732523456,\"Code\":14,"
                    + "\"Msg\":\"Invalid command\",\"Description\":\"cgminer 4.11.1\"}],\"id\":1}");
        OutputStream out = s.getOutputStream();
        out.write(reply.getBytes(StandardCharsets.UTF_8));
        if (!reply.endsWith("\0")) {
          out.write(0);
        }
        out.flush();
      } catch (IOException e) {
        // closed, or a client that went away: keep serving until closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
