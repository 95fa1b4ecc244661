package io.flexrig.agent.uplink;

import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.TelemetrySample;
import java.util.List;

/**
 * Samples kept until the controller acknowledged them, numbered with the rig's strictly increasing
 * sequence. The in-memory {@link MemoryOutbox} is bounded and forgets on restart; the durable
 * SQLite outbox comes later behind this same interface.
 */
public interface TelemetryOutbox {

  /** Numbers the sample with the next sequence, keeps it and returns it as numbered. */
  TelemetrySample append(TelemetrySample unnumbered);

  /** Highest sequence ever produced (0 if none). */
  long lastSequence();

  /** Up to {@code max} kept samples with a sequence above {@code sequence}, in order. */
  List<TelemetrySample> after(long sequence, int max);

  /** The controller stored everything up to and including {@code sequence}: forget it. */
  void ackThrough(long sequence);

  /**
   * The controller has stored more than this outbox ever numbered (the agent restarted without its
   * sequence): renumber the kept samples to follow {@code storedThrough}, so no new sample reuses a
   * sequence the controller already holds.
   */
  void continueAfter(long storedThrough);

  /** Samples kept and not yet acknowledged. */
  int size();

  /** Samples forgotten unacknowledged because the outbox was full. */
  long dropped();

  /**
   * Keeps an alarm until the controller has surely stored it. The protocol has no alarm ack, but
   * the stream is ordered and control messages go before telemetry: once a sample numbered after
   * the alarm was kept is acknowledged, the alarm (sent before that sample) was stored too. A
   * durable outbox keeps it across restarts; the memory outbox keeps nothing.
   */
  default void keepAlarm(Alarm alarm) {}

  /** Alarms kept and not yet known to be stored, oldest first (resent on every new session). */
  default List<Alarm> pendingAlarms() {
    return List.of();
  }
}
