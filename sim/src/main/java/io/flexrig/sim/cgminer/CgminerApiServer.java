package io.flexrig.sim.cgminer;

import io.flexrig.sim.SimulatedRig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The miner's cgminer API on TCP, as real firmware serves it: one request per connection, one reply
 * terminated by a NUL byte, then the firmware closes the socket. Bound to 127.0.0.1.
 *
 * <p>While the rig's relay is open the control board has no power: connections are accepted by the
 * simulator's socket but closed without a reply, which a client sees as a dead miner.
 */
public final class CgminerApiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CgminerApiServer.class);

  /** cgminer reads at most this much of a request. */
  private static final int MAX_REQUEST_BYTES = 8192;

  private static final int QUIET_MS = 150;
  private static final long REQUEST_DEADLINE_MS = 5_000;
  private static final AtomicInteger SERVER_COUNT = new AtomicInteger();

  private final SimulatedRig rig;
  private final CgminerFirmware firmware;
  private final int requestedPort;
  private final ThreadPoolExecutor workers;
  private volatile ServerSocket serverSocket;
  private volatile Thread acceptor;

  /** A server with a well-formed JSON reply for every command. */
  public CgminerApiServer(SimulatedRig rig, int port) {
    this(rig, port, false);
  }

  /**
   * @param port TCP port on 127.0.0.1; 0 picks a free one (see {@link #port()})
   * @param antminerQuirks reproduce Antminer's missing comma ({@code }{}) in the stats reply
   */
  public CgminerApiServer(SimulatedRig rig, int port, boolean antminerQuirks) {
    this.rig = rig;
    this.firmware = new CgminerFirmware(rig, antminerQuirks);
    this.requestedPort = port;
    int id = SERVER_COUNT.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            1,
            4,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            r -> {
              Thread t = new Thread(r, "cgminer-api-" + id + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.workers.allowCoreThreadTimeOut(true);
  }

  /** Binds and starts accepting; returns this for chaining. */
  public CgminerApiServer start() {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 50);
      serverSocket = socket;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind cgminer API on port " + requestedPort, e);
    }
    Thread t = new Thread(this::acceptLoop, "cgminer-api-accept-" + serverSocket.getLocalPort());
    t.setDaemon(true);
    acceptor = t;
    t.start();
    return this;
  }

  /** The bound port; valid after {@link #start()}. */
  public int port() {
    ServerSocket socket = serverSocket;
    if (socket == null) {
      throw new IllegalStateException("not started");
    }
    return socket.getLocalPort();
  }

  /** The firmware answering the requests, for decoders tested without a socket. */
  public CgminerFirmware firmware() {
    return firmware;
  }

  private void acceptLoop() {
    ServerSocket socket = serverSocket;
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.warn("cgminer API accept failed on port {}", socket.getLocalPort(), e);
        }
        return;
      }
      try {
        workers.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        // Overloaded or closing: drop the connection as a busy firmware would.
        closeQuietly(client);
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      if (!rig.isRelayClosed()) {
        return;
      }
      String request = readRequest(client);
      if (request.isEmpty()) {
        return;
      }
      String reply = firmware.answer(request);
      OutputStream out = client.getOutputStream();
      out.write(reply.getBytes(StandardCharsets.UTF_8));
      out.write(0);
      out.flush();
    } catch (IOException e) {
      log.debug("cgminer API connection failed", e);
    } catch (RuntimeException e) {
      log.warn("cgminer API request failed", e);
    }
  }

  /**
   * Reads one request. Clients differ: some half-close after the request, some send a newline or
   * NUL, many just wait for the reply; a complete JSON object or a short quiet period ends it.
   */
  private static String readRequest(Socket client) throws IOException {
    client.setSoTimeout(QUIET_MS);
    InputStream in = client.getInputStream();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    byte[] chunk = new byte[1024];
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_DEADLINE_MS);
    while (buffer.size() < MAX_REQUEST_BYTES) {
      int n;
      try {
        n = in.read(chunk);
      } catch (SocketTimeoutException e) {
        if (buffer.size() > 0 && !startsJson(buffer)) {
          break;
        }
        if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
          break;
        }
        continue;
      } catch (SocketException e) {
        break;
      }
      if (n < 0) {
        break;
      }
      buffer.write(chunk, 0, n);
      if (isComplete(buffer.toString(StandardCharsets.UTF_8))) {
        break;
      }
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static boolean startsJson(ByteArrayOutputStream buffer) {
    return buffer.toString(StandardCharsets.UTF_8).stripLeading().startsWith("{");
  }

  static boolean isComplete(String text) {
    String s = text.stripLeading();
    if (s.isEmpty()) {
      return false;
    }
    if (s.charAt(0) != '{') {
      return s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0;
    }
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return true;
      }
    }
    return false;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do: the peer is gone either way
    }
  }

  /** Stops accepting and drops connections in progress. */
  @Override
  public void close() {
    ServerSocket socket = serverSocket;
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    workers.shutdownNow();
    Thread t = acceptor;
    if (t != null) {
      try {
        t.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
