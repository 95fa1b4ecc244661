package io.flexrig.agent.source.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.ReadingSink;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OPC UA client per endpoint, shared by every OPC UA source of a rig, with a subscription
 * holding a monitored item per node: one at the telemetry interval for most nodes and, for nodes
 * the agent must react to within a grid cycle budget (grid frequency for fast frequency response),
 * a fast one publishing every {@link #FAST_PUBLISHING} with the server sampling as fast as it can.
 * ERCOT's fast frequency response allows 0.25 s from the trip; waiting for the next 1 s publish
 * alone can take a second (the bench measured p99 1.7 s from a frequency change to the knob at a 1
 * s interval, 112 ms at 50 ms). Connecting is retried in the background, so a meter that is down at
 * start does not stop the agent. A subscription only reports changes, so each keep-alive
 * re-confirms the last values with a fresh timestamp: a value goes stale only when the server stops
 * talking.
 */
public final class OpcUaSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpcUaSession.class);
  private static final Duration RETRY = Duration.ofSeconds(2);

  /**
   * Publishing interval of the fast subscription. Publishes go out only when a value changed, plus
   * a keep-alive each {@link #FAST_KEEP_ALIVE_COUNT} intervals, so a steady meter costs one small
   * message a second.
   */
  public static final Duration FAST_PUBLISHING = Duration.ofMillis(50);

  private static final int FAST_KEEP_ALIVE_COUNT = 20;

  /**
   * The absolute deadband a grid-frequency node is watched with, in Hz: a meter's noise (a few mHz)
   * stays on the server instead of costing the agent a publish every {@link #FAST_PUBLISHING} (20 a
   * second, about 0.6 % of a core measured: bench/README.md, 3d), while the excursions fast
   * frequency response acts on (150 mHz and more) still arrive at the next publish. 10 mHz is the
   * accuracy of a class 0.2 meter's frequency.
   */
  public static final double FREQUENCY_DEADBAND_HZ = 0.01;

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
  private OpcUaSubscription fastSubscription;
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
    watch(address, name, unit, false, sink);
  }

  /**
   * Watches a node, on the fast subscription when {@code fast}; readings go to the sink from Milo's
   * delivery thread.
   */
  void watch(OpcUaNodeAddress address, String name, String unit, boolean fast, ReadingSink sink) {
    watch(address, name, unit, fast, 0, sink);
  }

  /**
   * Watches a node as above, reported only when it moves by more than {@code deadband} (absolute,
   * in the node's unit; 0: every change). A server that refuses the deadband filter gets the item
   * without it.
   */
  void watch(
      OpcUaNodeAddress address,
      String name,
      String unit,
      boolean fast,
      double deadband,
      ReadingSink sink) {
    NodeWatch w = new NodeWatch(address, name, unit, fast, deadband, sink);
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
    subscription = subscribe(c, publishingIntervalMs, 2);
    if (publishingIntervalMs > FAST_PUBLISHING.toMillis()) {
      fastSubscription = subscribe(c, FAST_PUBLISHING.toMillis(), FAST_KEEP_ALIVE_COUNT);
    } else {
      fastSubscription = subscription; // the telemetry interval is already fast enough
    }
    addItems(watches);
    log.info("OPC UA {} connected, watching {} nodes", endpointUrl, watches.size());
  }

  private OpcUaSubscription subscribe(OpcUaClient c, double intervalMs, int keepAliveCount)
      throws UaException {
    OpcUaSubscription s = new OpcUaSubscription(c, intervalMs);
    s.setLifetimeAndKeepAliveCalculated(false);
    s.setMaxKeepAliveCount(uint(keepAliveCount));
    // lifetime: at least three keep-alives, and about a minute of silence before the server drops
    // it
    s.setLifetimeCount(uint(Math.max(3L * keepAliveCount, Math.round(60_000 / intervalMs))));
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
    return s;
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
    Map<NodeWatch, OpcUaMonitoredItem> filtered = new LinkedHashMap<>();
    for (NodeWatch w : ws) {
      try {
        OpcUaMonitoredItem item = newItem(w, w.deadband > 0);
        if (w.deadband > 0) {
          filtered.put(w, item);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("cannot watch {} for '{}': {}", w.address, w.name, e.getMessage());
        w.sink.accept(Reading.bad(w.name, w.unit, clock.instant()));
      }
    }
    synchronizeAll();
    // a server without deadband support refuses the item: watch it without the filter instead
    boolean again = false;
    for (Map.Entry<NodeWatch, OpcUaMonitoredItem> e : filtered.entrySet()) {
      Optional<StatusCode> created = e.getValue().getCreateResult();
      if (created.isPresent() && !created.get().isGood()) {
        NodeWatch w = e.getKey();
        log.info(
            "{} refused a deadband on {} ({}); watching every change",
            endpointUrl,
            w.address,
            created.get());
        (w.fast ? fastSubscription : subscription).removeMonitoredItem(e.getValue());
        try {
          newItem(w, false);
          again = true;
        } catch (IOException | RuntimeException ex) {
          log.warn("cannot watch {} for '{}': {}", w.address, w.name, ex.getMessage());
          w.sink.accept(Reading.bad(w.name, w.unit, clock.instant()));
        }
      }
    }
    if (again) {
      synchronizeAll();
    }
  }

  private OpcUaMonitoredItem newItem(NodeWatch w, boolean withDeadband) throws IOException {
    NodeId node = resolve(client, w.address);
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node);
    // 0: the server samples as fast as it can (exception-based where it supports it)
    item.setSamplingInterval(w.fast ? 0.0 : publishingIntervalMs);
    if (withDeadband) {
      item.setFilter(
          new DataChangeFilter(
              DataChangeTrigger.StatusValue, uint(DeadbandType.Absolute.getValue()), w.deadband));
    }
    item.setDataValueListener((i, value) -> w.update(value, clock.instant()));
    (w.fast ? fastSubscription : subscription).addMonitoredItem(item);
    return item;
  }

  private void synchronizeAll() {
    synchronize(subscription);
    if (fastSubscription != subscription) {
      synchronize(fastSubscription);
    }
  }

  private void synchronize(OpcUaSubscription s) {
    try {
      s.synchronizeMonitoredItems();
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
    fastSubscription = null;
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
    final boolean fast;
    final double deadband;
    final ReadingSink sink;
    private volatile Reading last;

    NodeWatch(
        OpcUaNodeAddress address,
        String name,
        String unit,
        boolean fast,
        double deadband,
        ReadingSink sink) {
      this.address = address;
      this.name = name;
      this.unit = unit;
      this.fast = fast;
      this.deadband = deadband;
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
