package io.flexrig.agent.source.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.ReadingSink;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OPC UA client per endpoint, shared by every OPC UA source of a rig, with one subscription
 * holding a monitored item per node. Connecting is retried in the background, so a meter that is
 * down at start does not stop the agent. A subscription only reports changes, so each keep-alive
 * re-confirms the last values with a fresh timestamp: a value goes stale only when the server stops
 * talking.
 */
public final class OpcUaSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpcUaSession.class);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final String endpointUrl;
  private final OpcUaSecurity security;
  private volatile Status status = new Status(State.CONNECTING, "");
  private final double publishingIntervalMs;
  private final Clock clock;
  private final ScheduledExecutorService worker;
  private final List<NodeWatch> watches = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<Status, Status>> statusListeners = new CopyOnWriteArrayList<>();

  // Written only on the worker thread; the client is read by write() from any thread.
  private volatile OpcUaClient client;
  private OpcUaSubscription subscription;
  private volatile boolean closed;

  public OpcUaSession(String endpointUrl, Duration publishingInterval, Clock clock) {
    this(endpointUrl, OpcUaSecurity.NONE, publishingInterval, clock);
  }

  /** A session secured as {@code security} says; it never falls back to weaker security. */
  public OpcUaSession(
      String endpointUrl, OpcUaSecurity security, Duration publishingInterval, Clock clock) {
    this.endpointUrl = endpointUrl;
    this.security = security;
    this.publishingIntervalMs = publishingInterval.toMillis();
    this.clock = clock;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "opcua-session");
              t.setDaemon(true);
              return t;
            });
    worker.execute(this::connectOrRetry);
  }

  public String endpointUrl() {
    return endpointUrl;
  }

  /** Where the session stands: connecting, connected, or refused for security. */
  public enum State {
    CONNECTING,
    CONNECTED,
    REFUSED
  }

  /**
   * The session's state and, unless connected, why.
   *
   * @param state connecting (retrying), connected, or refused (security: see the detail)
   * @param detail the last error; empty when connected
   */
  public record Status(State state, String detail) {}

  /** The session's state now. */
  public Status status() {
    return status;
  }

  /**
   * Tells {@code listener} each change of state (from, to), on the session's thread; it must not
   * block. A session already refused is reported at once.
   */
  public void onStatusChange(BiConsumer<Status, Status> listener) {
    statusListeners.add(listener);
    Status now = status;
    if (now.state() == State.REFUSED) {
      listener.accept(new Status(State.CONNECTING, ""), now);
    }
  }

  private void setStatus(Status s) {
    Status old = status;
    status = s;
    if (old.state() != s.state()) {
      for (BiConsumer<Status, Status> l : statusListeners) {
        try {
          l.accept(old, s);
        } catch (RuntimeException e) {
          log.warn("OPC UA status listener failed", e);
        }
      }
    }
  }

  /**
   * Security refused the connection: every watched node is BAD at once rather than going stale
   * slowly, so the rig's snapshot says the meter is down and why is in the log and the status.
   */
  private void refuse(String reason) {
    boolean first = status.state() != State.REFUSED;
    setStatus(new Status(State.REFUSED, reason));
    if (first) {
      Instant now = clock.instant();
      for (NodeWatch w : watches) {
        w.fail(now);
      }
    }
  }

  /** Watches a node; readings go to the sink from Milo's delivery thread. */
  void watch(OpcUaNodeAddress address, String name, String unit, ReadingSink sink) {
    NodeWatch w = new NodeWatch(address, name, unit, sink);
    watches.add(w);
    worker.execute(
        () -> {
          if (subscription != null) {
            addItems(List.of(w));
          } else if (status.state() == State.REFUSED) {
            w.fail(clock.instant());
          }
        });
  }

  void unwatch(String name) {
    watches.removeIf(w -> w.name.equals(name));
  }

  /** Writes a value (e.g. an outlet's On switch) and fails unless the server answers Good. */
  public void write(OpcUaNodeAddress address, Object value) throws IOException {
    OpcUaClient c = client;
    if (c == null) {
      throw new IOException("not connected to " + endpointUrl);
    }
    try {
      NodeId node = resolve(c, address);
      List<StatusCode> results =
          c.writeValues(List.of(node), List.of(DataValue.valueOnly(new Variant(value))));
      StatusCode status = results.getFirst();
      if (!status.isGood()) {
        throw new IOException("write of " + address + " refused: " + status);
      }
    } catch (UaException e) {
      throw new IOException("write of " + address + " failed: " + e.getMessage(), e);
    }
  }

  private void connectOrRetry() {
    if (closed) {
      return;
    }
    try {
      connect();
      setStatus(new Status(State.CONNECTED, ""));
    } catch (OpcUaRefusedException e) {
      log.error("OPC UA {} refused: {}; retrying in {}", endpointUrl, e.getMessage(), RETRY);
      disconnectQuietly();
      refuse(e.getMessage());
      if (!closed) {
        worker.schedule(this::connectOrRetry, RETRY.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      log.warn("OPC UA {} not reachable ({}); retrying in {}", endpointUrl, e.getMessage(), RETRY);
      setStatus(new Status(State.CONNECTING, String.valueOf(e.getMessage())));
      disconnectQuietly();
      if (!closed) {
        worker.schedule(this::connectOrRetry, RETRY.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void connect() throws UaException, OpcUaRefusedException {
    OpcUaClient c = OpcUaEndpoint.connect(endpointUrl, security, "Flexrig agent");
    client = c;
    OpcUaSubscription s = new OpcUaSubscription(c, publishingIntervalMs);
    s.setLifetimeAndKeepAliveCalculated(false);
    s.setMaxKeepAliveCount(uint(2));
    s.setLifetimeCount(uint(60));
    s.setSubscriptionListener(
        new OpcUaSubscription.SubscriptionListener() {
          @Override
          public void onKeepAliveReceived(OpcUaSubscription sub) {
            confirmAll();
          }

          // Called before the items' own listeners: nodes that did not change in this publish are
          // confirmed, the changed ones are then overwritten with their new values.
          @Override
          public void onDataReceived(
              OpcUaSubscription sub, List<OpcUaMonitoredItem> items, List<DataValue> values) {
            confirmAll();
          }

          @Override
          public void onTransferFailed(OpcUaSubscription sub, StatusCode status) {
            log.warn("OPC UA subscription on {} lost ({}); recreating", endpointUrl, status);
            worker.execute(OpcUaSession.this::recreateSubscription);
          }
        });
    s.create();
    subscription = s;
    addItems(watches);
    log.info("OPC UA {} connected, watching {} nodes", endpointUrl, watches.size());
  }

  private void recreateSubscription() {
    if (closed) {
      return;
    }
    disconnectQuietly();
    connectOrRetry();
  }

  private void addItems(List<NodeWatch> ws) {
    if (ws.isEmpty()) {
      return;
    }
    for (NodeWatch w : ws) {
      try {
        NodeId node = resolve(client, w.address);
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node);
        item.setSamplingInterval(publishingIntervalMs);
        item.setDataValueListener((i, value) -> w.update(value, clock.instant()));
        subscription.addMonitoredItem(item);
      } catch (IOException | RuntimeException e) {
        log.warn("cannot watch {} for '{}': {}", w.address, w.name, e.getMessage());
        w.sink.accept(Reading.bad(w.name, w.unit, clock.instant()));
      }
    }
    try {
      subscription.synchronizeMonitoredItems();
    } catch (UaException e) {
      log.warn("monitored items on {} not all created: {}", endpointUrl, e.getMessage());
    }
  }

  private void confirmAll() {
    Instant now = clock.instant();
    for (NodeWatch w : watches) {
      w.confirm(now);
    }
  }

  private static NodeId resolve(OpcUaClient c, OpcUaNodeAddress a) throws IOException {
    int index = a.namespaceIndex();
    if (a.namespaceUri() != null) {
      UShort i = c.getNamespaceTable().getIndex(a.namespaceUri());
      if (i == null) {
        try {
          i = c.readNamespaceTable().getIndex(a.namespaceUri());
        } catch (UaException e) {
          throw new IOException("cannot read the namespace table: " + e.getMessage(), e);
        }
      }
      if (i == null) {
        throw new IOException("server has no namespace '" + a.namespaceUri() + "'");
      }
      index = i.intValue();
    }
    return a.numeric()
        ? new NodeId(index, uint(Long.parseLong(a.identifier())))
        : new NodeId(index, a.identifier());
  }

  private void disconnectQuietly() {
    OpcUaClient c = client;
    client = null;
    subscription = null;
    if (c != null) {
      try {
        c.disconnect();
      } catch (Exception e) {
        log.debug("disconnect from {} failed: {}", endpointUrl, e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      worker.submit(this::disconnectQuietly).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("closing OPC UA session {}: {}", endpointUrl, e.toString());
    }
    worker.shutdownNow();
  }

  /** One watched node and the last value it reported. */
  private static final class NodeWatch {
    final OpcUaNodeAddress address;
    final String name;
    final String unit;
    final ReadingSink sink;
    private volatile Reading last;

    NodeWatch(OpcUaNodeAddress address, String name, String unit, ReadingSink sink) {
      this.address = address;
      this.name = name;
      this.unit = unit;
      this.sink = sink;
    }

    void update(DataValue value, Instant now) {
      Reading r = OpcUaValues.toReading(name, unit, value, now);
      last = r;
      sink.accept(r);
    }

    void fail(Instant now) {
      Reading r = Reading.bad(name, unit, now);
      last = r;
      sink.accept(r);
    }

    void confirm(Instant now) {
      Reading r = last;
      if (r != null && r.quality() != io.flexrig.agent.source.Quality.BAD) {
        Reading again = new Reading(r.name(), r.value(), r.unit(), r.quality(), now);
        last = again;
        sink.accept(again);
      }
    }
  }
}
