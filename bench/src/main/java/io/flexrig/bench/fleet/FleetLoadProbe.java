package io.flexrig.bench.fleet;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/** What the simulated agents report to the load driver: counters and latencies, lock-free. */
final class FleetLoadProbe {

  private volatile SimAgent.Mode mode = SimAgent.Mode.IDLE;
  private volatile int batchSize = 30;
  private volatile int window = 2;
  private volatile boolean recording;

  final AtomicInteger hellos = new AtomicInteger();
  final AtomicLong samplesSent = new AtomicLong();
  final AtomicLong samplesAcked = new AtomicLong();
  final AtomicLong ticksSkipped = new AtomicLong();
  final AtomicInteger streamFailures = new AtomicInteger();
  final AtomicReference<String> firstFailure = new AtomicReference<>();
  // Failed streams by gRPC status code and description, to tell overload from defects.
  final java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> failuresByStatus =
      new java.util.concurrent.ConcurrentHashMap<>();
  final LatencyStats ackLag = new LatencyStats();

  // The event being measured: when it was created, and when each agent acked its first
  // curtailment command of it (0 = none yet).
  private volatile long eventStartNanos;
  private final AtomicLongArray curtailAckedAt;
  final AtomicInteger curtailAcks = new AtomicInteger();
  final AtomicLong lastCurtailAckNanos = new AtomicLong();

  FleetLoadProbe(int agents) {
    this.curtailAckedAt = new AtomicLongArray(agents);
  }

  SimAgent.Mode mode() {
    return mode;
  }

  void mode(SimAgent.Mode m) {
    mode = m;
  }

  int batchSize() {
    return batchSize;
  }

  int window() {
    return window;
  }

  void saturate(int batch, int inFlight) {
    batchSize = batch;
    window = inFlight;
    mode = SimAgent.Mode.SATURATE;
  }

  void recording(boolean on) {
    recording = on;
  }

  void helloAccepted() {
    hellos.incrementAndGet();
  }

  void samplesSent(int n) {
    samplesSent.addAndGet(n);
  }

  void samplesAcked(int n) {
    if (n > 0) {
      samplesAcked.addAndGet(n);
    }
  }

  void ackLag(long nanos) {
    if (recording) {
      ackLag.add(nanos);
    }
  }

  void tickSkipped() {
    ticksSkipped.incrementAndGet();
  }

  void streamFailed(String rigId, Throwable t) {
    streamFailures.incrementAndGet();
    firstFailure.compareAndSet(null, rigId + ": " + t);
    io.grpc.Status status = io.grpc.Status.fromThrowable(t);
    failuresByStatus
        .computeIfAbsent(status.getCode() + " " + status.getDescription(), k -> new AtomicInteger())
        .incrementAndGet();
  }

  /** Starts measuring an event created now. */
  void eventStarted(long nanos) {
    for (int i = 0; i < curtailAckedAt.length(); i++) {
      curtailAckedAt.set(i, 0);
    }
    curtailAcks.set(0);
    lastCurtailAckNanos.set(0);
    eventStartNanos = nanos;
  }

  void eventEnded() {
    eventStartNanos = 0;
  }

  void commandAcked(int agent, boolean curtailment, long nanos) {
    if (curtailment && eventStartNanos != 0 && curtailAckedAt.compareAndSet(agent, 0, nanos)) {
      curtailAcks.incrementAndGet();
      lastCurtailAckNanos.accumulateAndGet(nanos, Math::max);
    }
  }

  /** Per-agent latencies from event creation to the agent's ack of its first command. */
  LatencyStats eventLatencies() {
    LatencyStats s = new LatencyStats();
    long start = eventStartNanos;
    for (int i = 0; i < curtailAckedAt.length(); i++) {
      long at = curtailAckedAt.get(i);
      if (at != 0) {
        s.add(at - start);
      }
    }
    return s;
  }
}
