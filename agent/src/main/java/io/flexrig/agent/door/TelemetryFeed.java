package io.flexrig.agent.door;

import io.flexrig.proto.v1.TelemetrySample;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest telemetry sample and the callers watching new ones. A watcher that is not ready (slow
 * network) keeps only the newest sample, so a slow caller never makes the agent queue samples.
 */
public final class TelemetryFeed {
  static final int MAX_WATCHERS = 16;

  private final AtomicReference<TelemetrySample> latest = new AtomicReference<>();
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

  /** Called by the agent with every numbered sample; never blocks. */
  public void publish(TelemetrySample sample) {
    latest.set(sample);
    for (Watcher w : watchers) {
      w.offer(sample);
    }
  }

  /** The newest sample published, or null before the first. */
  public TelemetrySample latest() {
    return latest.get();
  }

  int watchers() {
    return watchers.size();
  }

  /** Streams samples to a caller until it cancels or {@code maxSamples} (0: no end) were sent. */
  void watch(StreamObserver<TelemetrySample> observer, long maxSamples) {
    ServerCallStreamObserver<TelemetrySample> call =
        (ServerCallStreamObserver<TelemetrySample>) observer;
    if (watchers.size() >= MAX_WATCHERS) {
      call.onError(
          Status.RESOURCE_EXHAUSTED
              .withDescription("at most " + MAX_WATCHERS + " telemetry watchers")
              .asRuntimeException());
      return;
    }
    Watcher w = new Watcher(call, maxSamples);
    call.setOnCancelHandler(() -> watchers.remove(w));
    call.setOnReadyHandler(w::drain);
    watchers.add(w);
    TelemetrySample now = latest.get();
    if (now != null) {
      w.offer(now); // the caller sees the rig at once, not only at the next sample
    }
  }

  private final class Watcher {
    private final ServerCallStreamObserver<TelemetrySample> call;
    private final AtomicReference<TelemetrySample> pending = new AtomicReference<>();
    private long remaining;
    private boolean done;

    Watcher(ServerCallStreamObserver<TelemetrySample> call, long maxSamples) {
      this.call = call;
      this.remaining = maxSamples <= 0 ? Long.MAX_VALUE : maxSamples;
    }

    void offer(TelemetrySample sample) {
      pending.set(sample); // an unsent older sample is replaced, not queued
      drain();
    }

    synchronized void drain() {
      if (done || call.isCancelled()) {
        return;
      }
      if (!call.isReady()) {
        return; // the ready handler calls again
      }
      TelemetrySample next = pending.getAndSet(null);
      if (next == null) {
        return;
      }
      call.onNext(next);
      if (--remaining == 0) {
        done = true;
        watchers.remove(this);
        call.onCompleted();
      }
    }
  }
}
