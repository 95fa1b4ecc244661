package io.flexrig.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.proto.v1.TelemetrySample;
import org.junit.jupiter.api.Test;

class MemoryOutboxTest {
  private static final TelemetrySample SAMPLE =
      TelemetrySample.newBuilder().setPowerW(3068).build();

  @Test
  void samplesAreNumberedStrictlyIncreasingFromTheLastSequence() {
    MemoryOutbox outbox = new MemoryOutbox(10, 41);

    assertThat(outbox.append(SAMPLE).getSequence()).isEqualTo(42);
    assertThat(outbox.append(SAMPLE).getSequence()).isEqualTo(43);
    assertThat(outbox.lastSequence()).isEqualTo(43);
  }

  @Test
  void acknowledgedSamplesAreForgottenAndTheRestReturnedInOrder() {
    MemoryOutbox outbox = new MemoryOutbox(10, 0);
    for (int i = 0; i < 5; i++) {
      outbox.append(SAMPLE);
    }
    outbox.ackThrough(2);

    assertThat(outbox.size()).isEqualTo(3);
    assertThat(outbox.after(0, 10))
        .extracting(TelemetrySample::getSequence)
        .containsExactly(3L, 4L, 5L);
    assertThat(outbox.after(3, 1)).extracting(TelemetrySample::getSequence).containsExactly(4L);
  }

  @Test
  void whenFullTheOldestIsDroppedAndCounted() {
    MemoryOutbox outbox = new MemoryOutbox(3, 0);
    for (int i = 0; i < 5; i++) {
      outbox.append(SAMPLE);
    }

    assertThat(outbox.dropped()).isEqualTo(2);
    assertThat(outbox.after(0, 10))
        .extracting(TelemetrySample::getSequence)
        .containsExactly(3L, 4L, 5L);
  }

  @Test
  void afterARestartSamplesAreRenumberedToFollowWhatTheControllerStored() {
    MemoryOutbox outbox = new MemoryOutbox(10, 0);
    outbox.append(SAMPLE);
    outbox.append(SAMPLE);

    outbox.continueAfter(100);

    assertThat(outbox.after(100, 10))
        .extracting(TelemetrySample::getSequence)
        .containsExactly(101L, 102L);
    assertThat(outbox.append(SAMPLE).getSequence()).isEqualTo(103);
  }

  @Test
  void continuingAfterAnOlderSequenceChangesNothing() {
    MemoryOutbox outbox = new MemoryOutbox(10, 50);
    outbox.append(SAMPLE);

    outbox.continueAfter(20);

    assertThat(outbox.lastSequence()).isEqualTo(51);
  }
}
