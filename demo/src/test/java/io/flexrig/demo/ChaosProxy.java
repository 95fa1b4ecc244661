package io.flexrig.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that a test uses to break the network between agents and the controller:
 * {@link #partition()} cuts every open connection and refuses new ones until {@link #heal()}.
 *
 * <p>Plain blocking sockets, two pump threads per connection from a bounded pool; a connection that
 * finds the pool full is closed at once (the client sees a reset and retries).
 */
final class ChaosProxy implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MS = 1_000;

  private final InetSocketAddress upstream;
  private final ServerSocket listener;
  private final ThreadPoolExecutor pumps;
  private final Thread acceptor;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong cut = new AtomicLong();
  private volatile boolean partitioned;
  private volatile boolean closed;

  /**
   * @param upstreamPort the controller's port on loopback
   * @param maxConnections most connections forwarded at once
   */
  ChaosProxy(int upstreamPort, int maxConnections) throws IOException {
    this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.pumps =
        new ThreadPoolExecutor(
            0,
            2 * maxConnections,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            Thread.ofPlatform().name("chaos-pump-", 0).daemon(true).factory());
    this.acceptor = Thread.ofPlatform().name("chaos-accept").daemon(true).start(this::acceptLoop);
  }

  /** {@code 127.0.0.1:port} of the proxy, for the agents. */
  String target() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** Cuts every open connection and refuses new ones until {@link #heal()}. */
  void partition() {
    partitioned = true;
    for (Link l : links) {
      if (l.close()) {
        cut.incrementAndGet();
      }
    }
  }

  void heal() {
    partitioned = false;
  }

  long accepted() {
    return accepted.get();
  }

  long refused() {
    return refused.get();
  }

  long cut() {
    return cut.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (partitioned) {
        refused.incrementAndGet();
        closeQuietly(client);
        continue;
      }
      try {
        pumps.execute(() -> forward(client));
      } catch (RejectedExecutionException e) {
        refused.incrementAndGet();
        closeQuietly(client);
      }
    }
  }

  private void forward(Socket client) {
    Socket server = new Socket();
    try {
      server.connect(upstream, CONNECT_TIMEOUT_MS);
    } catch (IOException e) {
      // The controller is down (restarting): the agent sees the connection end and backs off.
      refused.incrementAndGet();
      closeQuietly(client);
      closeQuietly(server);
      return;
    }
    Link link = new Link(client, server);
    links.add(link);
    // Registered before the check: a partition starting meanwhile either sees this link or is
    // seen here.
    if (partitioned || closed) {
      link.close();
      return;
    }
    accepted.incrementAndGet();
    try {
      pumps.execute(() -> pump(server, client, link));
    } catch (RejectedExecutionException e) {
      link.close();
      return;
    }
    pump(client, server, link);
  }

  private static void pump(Socket from, Socket to, Link link) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // cut, reset or closed: the link ends either way
    } finally {
      link.close();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // nothing more to do
    }
    for (Link l : links) {
      l.close();
    }
    pumps.shutdownNow();
    try {
      acceptor.join(2_000);
      pumps.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One client connection and its upstream twin; closing either end closes both. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private boolean done;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    /** True when this call closed it. */
    synchronized boolean close() {
      if (done) {
        return false;
      }
      done = true;
      links.remove(this);
      closeQuietly(client);
      closeQuietly(server);
      return true;
    }
  }
}
