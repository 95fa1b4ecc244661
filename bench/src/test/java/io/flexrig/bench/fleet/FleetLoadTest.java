package io.flexrig.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A small fleet through both measurements, so the simulator keeps speaking the controller's
 * protocol as both evolve (the real runs are {@link FleetLoad#main}).
 */
@Tag("integration")
class FleetLoadTest {

  @Test
  void simulatedAgentsAreAckedAndEveryCommandedAgentAcknowledgesItsCommand() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // Knob latencies at 2 % of the profiles' (25 s -> 0.5 s) keep the test short.
    try (FleetLoad run = new FleetLoad(40, 2, deadline, 6, 0.02)) {
      run.connectAll();

      FleetLoad.Ingest ingest = run.ingest(10, 2, Duration.ofMillis(300), Duration.ofMillis(700));
      assertThat(ingest.samplesPerSecond()).isPositive();
      assertThat(ingest.failures()).isZero();

      run.periodic(Duration.ofMillis(500));
      Thread.sleep(1_500);
      // Half the site's load: most rigs get a power target or a sleep; the merit order leaves
      // the ones that earn most per watt running.
      FleetLoad.Dispatch d = run.dispatch(50, Duration.ofSeconds(20));
      assertThat(d.commanded()).isBetween(20, 40);
      assertThat(d.perAgent()).startsWith("n=" + d.commanded() + " ");
      assertThat(d.allAckedClientMs()).isPositive();
      assertThat(d.powerAtTargetS()).as("the rigs' power reaches the target").isPositive();
    }
  }
}
