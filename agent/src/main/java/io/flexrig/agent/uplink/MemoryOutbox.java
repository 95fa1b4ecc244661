package io.flexrig.agent.uplink;

import io.flexrig.proto.v1.TelemetrySample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded in-memory outbox: when full, the oldest unacknowledged sample is dropped (and counted)
 * so the newest state of the rig always gets through.
 */
public final class MemoryOutbox implements TelemetryOutbox {
  private final int capacity;
  private final ArrayDeque<TelemetrySample> samples;
  private long lastSequence;
  private long dropped;

  /**
   * @param capacity most samples kept
   * @param lastSequence the highest sequence already used (0 for a new rig)
   */
  public MemoryOutbox(int capacity, long lastSequence) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.samples = new ArrayDeque<>(Math.min(capacity, 1024));
    this.lastSequence = lastSequence;
  }

  @Override
  public synchronized TelemetrySample append(TelemetrySample unnumbered) {
    TelemetrySample numbered = unnumbered.toBuilder().setSequence(++lastSequence).build();
    if (samples.size() == capacity) {
      samples.removeFirst();
      dropped++;
    }
    samples.addLast(numbered);
    return numbered;
  }

  @Override
  public synchronized long lastSequence() {
    return lastSequence;
  }

  @Override
  public synchronized List<TelemetrySample> after(long sequence, int max) {
    List<TelemetrySample> out = new ArrayList<>(Math.min(max, samples.size()));
    for (TelemetrySample s : samples) {
      if (s.getSequence() > sequence) {
        out.add(s);
        if (out.size() == max) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public synchronized void ackThrough(long sequence) {
    while (!samples.isEmpty() && samples.peekFirst().getSequence() <= sequence) {
      samples.removeFirst();
    }
  }

  @Override
  public synchronized void continueAfter(long storedThrough) {
    if (storedThrough <= lastSequence) {
      return;
    }
    long next = storedThrough;
    ArrayDeque<TelemetrySample> renumbered = new ArrayDeque<>(samples.size());
    for (TelemetrySample s : samples) {
      renumbered.addLast(s.toBuilder().setSequence(++next).build());
    }
    samples.clear();
    samples.addAll(renumbered);
    lastSequence = next;
  }

  @Override
  public synchronized int size() {
    return samples.size();
  }

  @Override
  public synchronized long dropped() {
    return dropped;
  }
}
