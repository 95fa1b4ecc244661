package io.flexrig.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.testkit.SuiteFigures;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reliability suite, load: 1,000 agents (the fleet simulator's lightweight agents, speaking the
 * real protocol over real sockets) each send a sample a second to one controller for a while; every
 * sample is acknowledged (so stored), no stream fails, and memory stays bounded: the heap left
 * after a full GC does not grow with the samples stored. The default build runs one minute; {@code
 * -Dflexrig.soak.seconds=600} runs ten.
 */
@Tag("integration")
@Tag("reliability")
class FleetSoakTest {
  private static final int AGENTS = 1_000;

  /** Heap growth allowed between the first and the last check, whatever the run's length. */
  private static final long BOUND_BYTES = 48L << 20;

  @Test
  void aThousandAgentsStreamForMinutesWithEverySampleStoredAndBoundedMemory() throws Exception {
    long seconds = Long.getLong("flexrig.soak.seconds", 60);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 180);
    try (FleetLoad run = new FleetLoad(AGENTS, 4, deadline, 6, 1)) {
      run.connectAll();
      run.periodic(Duration.ofSeconds(1));
      Thread.sleep(Math.min(15_000, seconds * 250)); // warm-up: sessions, caches, JIT
      List<Long> heap = new ArrayList<>();
      heap.add(heapAfterGc());
      long checks = 4;
      for (int i = 1; i <= checks; i++) {
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / checks);
        heap.add(heapAfterGc());
      }
      long sentWhileMeasured = run.probe().samplesSent.get();
      assertThat(run.quiesce(Duration.ofSeconds(60)))
          .as("every sample sent is acknowledged, i.e. stored")
          .isTrue();
      // a tick that began before the stop may still send its slice: wait it out, quiesce again
      Thread.sleep(500);
      assertThat(run.quiesce(Duration.ofSeconds(60))).isTrue();

      FleetLoadProbe probe = run.probe();
      assertThat(probe.streamFailures.get()).as("failed streams").isZero();
      assertThat(probe.samplesAcked.get()).isEqualTo(probe.samplesSent.get());
      assertThat(sentWhileMeasured).isGreaterThan(AGENTS * seconds / 2);
      long growth = heap.getLast() - heap.getFirst();
      assertThat(growth)
          .as("heap after GC over the run, MiB: %s", heap.stream().map(b -> b >> 20).toList())
          .isLessThan(BOUND_BYTES);
      SuiteFigures.record(FleetSoakTest.class, "agents streaming to one controller", AGENTS);
      SuiteFigures.record(FleetSoakTest.class, "seconds measured", seconds);
      SuiteFigures.record(FleetSoakTest.class, "samples sent and stored", probe.samplesSent.get());
      SuiteFigures.record(
          FleetSoakTest.class,
          "heap after GC, first / last check (MiB)",
          (heap.getFirst() >> 20) + " / " + (heap.getLast() >> 20));
    }
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
