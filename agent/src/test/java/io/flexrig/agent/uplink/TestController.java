package io.flexrig.agent.uplink;

import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.AgentMessage;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.CommandResult;
import io.flexrig.proto.v1.ControllerMessage;
import io.flexrig.proto.v1.FleetServiceGrpc;
import io.flexrig.proto.v1.HelloAccepted;
import io.flexrig.proto.v1.TelemetryAck;
import io.flexrig.proto.v1.TelemetrySample;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal FleetService for tests, on a real loopback port: accepts every hello, stores samples by
 * sequence (as a durable store would, surviving {@link #restart()}), acknowledges every batch,
 * records acks and results, and can send a command to the connected agent.
 */
public final class TestController implements AutoCloseable {
  public final List<AgentHello> hellos = new CopyOnWriteArrayList<>();
  public final Map<Long, TelemetrySample> stored = new ConcurrentSkipListMap<>();
  public final AtomicInteger duplicates = new AtomicInteger();
  public final List<CommandAck> acks = new CopyOnWriteArrayList<>();
  public final List<CommandResult> results = new CopyOnWriteArrayList<>();
  public final List<AgentMessage> firstMessages = new CopyOnWriteArrayList<>();
  public final List<io.flexrig.proto.v1.Alarm> alarms = new CopyOnWriteArrayList<>();

  /** Sessions the agent half-closed (it left gracefully). */
  public final AtomicInteger halfCloses = new AtomicInteger();

  private volatile StreamObserver<ControllerMessage> session;
  private volatile Server server;
  private int port;
  private final ServerCredentials credentials;

  /** Plaintext. */
  public TestController() {
    this(InsecureServerCredentials.create());
  }

  /** With the given transport security (e.g. TLS requiring client certificates). */
  public TestController(ServerCredentials credentials) {
    this.credentials = credentials;
  }

  public TestController start() {
    server = build(0);
    port = server.getPort();
    return this;
  }

  public int port() {
    return port;
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  /** Stops the server, cutting the agent's stream, and starts it again on the same port. */
  public void restart() throws InterruptedException {
    stop();
    server = build(port);
  }

  public void stop() throws InterruptedException {
    Server s = server;
    s.shutdownNow();
    s.awaitTermination(5, TimeUnit.SECONDS);
    session = null;
  }

  public boolean hasSession() {
    return session != null;
  }

  public void send(Command command) {
    StreamObserver<ControllerMessage> s = session;
    if (s == null) {
      throw new IllegalStateException("no agent connected");
    }
    synchronized (s) {
      s.onNext(ControllerMessage.newBuilder().setCommand(command).build());
    }
  }

  /** Asks the connected agent to leave and reconnect (what a controller does at shutdown). */
  public void sendReconnect(io.flexrig.proto.v1.Reconnect reconnect) {
    StreamObserver<ControllerMessage> s = session;
    if (s == null) {
      throw new IllegalStateException("no agent connected");
    }
    synchronized (s) {
      s.onNext(ControllerMessage.newBuilder().setReconnect(reconnect).build());
    }
  }

  /** Highest sequence such that every sequence from 1 to it is stored. */
  public long storedThrough() {
    long n = 0;
    while (stored.containsKey(n + 1)) {
      n++;
    }
    return n;
  }

  private Server build(int bindPort) {
    try {
      return NettyServerBuilder.forAddress(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), bindPort), credentials)
          .addService(new Service())
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private final class Service extends FleetServiceGrpc.FleetServiceImplBase {
    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> responses) {
      ServerCallStreamObserver<ControllerMessage> out =
          (ServerCallStreamObserver<ControllerMessage>) responses;
      return new StreamObserver<>() {
        boolean first = true;

        @Override
        public void onNext(AgentMessage m) {
          if (first) {
            first = false;
            firstMessages.add(m);
            if (!m.hasHello()) {
              out.onError(Status.INVALID_ARGUMENT.withDescription("hello first").asException());
              return;
            }
            hellos.add(m.getHello());
            session = out;
            synchronized (out) {
              out.onNext(
                  ControllerMessage.newBuilder()
                      .setHelloAccepted(
                          HelloAccepted.newBuilder()
                              .setStoredThroughSequence(storedThrough())
                              .setTelemetryIntervalMs(1000)
                              .setControllerTime(FleetMessages.timestamp(java.time.Instant.now())))
                      .build());
            }
            return;
          }
          switch (m.getBodyCase()) {
            case TELEMETRY -> {
              for (TelemetrySample s : m.getTelemetry().getSamplesList()) {
                if (stored.putIfAbsent(s.getSequence(), s) != null) {
                  duplicates.incrementAndGet();
                }
              }
              synchronized (out) {
                out.onNext(
                    ControllerMessage.newBuilder()
                        .setTelemetryAck(
                            TelemetryAck.newBuilder().setAckedThroughSequence(storedThrough()))
                        .build());
              }
            }
            case COMMAND_ACK -> acks.add(m.getCommandAck());
            case COMMAND_RESULT -> results.add(m.getCommandResult());
            case ALARM -> alarms.add(m.getAlarm());
            default -> {}
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          halfCloses.incrementAndGet();
          if (session == out) {
            session = null;
          }
          synchronized (out) {
            out.onCompleted();
          }
        }
      };
    }
  }
}
