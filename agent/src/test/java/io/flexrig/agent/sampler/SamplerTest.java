package io.flexrig.agent.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.ReadingSink;
import io.flexrig.agent.source.StreamingSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private final Clock clock = Clock.systemUTC();

  /** A source that answers at once with a counter. */
  private final class Counter implements PolledSource {
    final AtomicInteger n = new AtomicInteger();
    final String name;

    Counter(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<Reading> sample() {
      return List.of(Reading.good(name, n.incrementAndGet(), "W", clock.instant()));
    }

    @Override
    public void close() {}
  }

  /** A source that hangs on its second sample until released, like a dead miner API. */
  private final class Hanging implements PolledSource {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String name() {
      return "outlet_power";
    }

    @Override
    public List<Reading> sample() throws IOException {
      if (calls.incrementAndGet() > 1) {
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException("interrupted");
        }
      }
      return List.of(Reading.good("outlet_power", 3068, "W", clock.instant()));
    }

    @Override
    public void close() {
      release.countDown();
    }
  }

  @Test
  void aHangingSourceIsSkippedAndCountedWhileOthersKeepSampling() {
    Hanging hanging = new Hanging();
    Counter counter = new Counter("dc_power");
    try (Sampler sampler = new Sampler(clock, Duration.ofMillis(20))) {
      sampler.addPolled(hanging, Duration.ofMillis(20), Duration.ofSeconds(30));
      sampler.addPolled(counter, Duration.ofMillis(20), Duration.ofSeconds(30));
      sampler.start();

      await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> sampler.stats().get("outlet_power").overruns() >= 5);
      int sampledWhileHanging = counter.n.get();
      await().atMost(5, TimeUnit.SECONDS).until(() -> counter.n.get() >= sampledWhileHanging + 5);

      assertThat(hanging.calls.get()).isEqualTo(2);
      assertThat(sampler.stats().get("dc_power").overruns())
          .isLessThan(sampler.stats().get("outlet_power").overruns());
      hanging.release.countDown();
    }
  }

  @Test
  void aSourcePastItsTimeoutIsInterruptedAndItsReadingsTurnBad() {
    Hanging hanging = new Hanging();
    try (Sampler sampler = new Sampler(clock, Duration.ofMillis(20))) {
      sampler.addPolled(hanging, Duration.ofMillis(20), Duration.ofMillis(100));
      sampler.start();

      await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> sampler.stats().get("outlet_power").timeouts() >= 1);

      assertThat(sampler.snapshot().powerW().quality()).isEqualTo(Quality.BAD);
    }
  }

  @Test
  void aFailingSourceDegradesItsOwnReadingsOnly() {
    AtomicInteger calls = new AtomicInteger();
    PolledSource flaky =
        new PolledSource() {
          @Override
          public String name() {
            return "miner_api";
          }

          @Override
          public List<Reading> sample() throws IOException {
            if (calls.incrementAndGet() > 1) {
              throw new IOException("connection refused");
            }
            return List.of(Reading.good("miner.hashrate_5s", 100, "TH/s", clock.instant()));
          }

          @Override
          public void close() {}
        };
    Counter counter = new Counter("outlet_power");
    try (Sampler sampler = new Sampler(clock, Duration.ofMillis(20))) {
      sampler.addPolled(flaky, Duration.ofMillis(20), Duration.ofSeconds(5));
      sampler.addPolled(counter, Duration.ofMillis(20), Duration.ofSeconds(5));
      sampler.start();

      await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> sampler.stats().get("miner_api").failures() >= 2);

      RigSnapshot s = sampler.snapshot();
      assertThat(s.hashrateThs().quality()).isEqualTo(Quality.BAD);
      assertThat(s.hashrateThs().value()).isEqualTo(100);
      assertThat(s.powerW().quality()).isEqualTo(Quality.GOOD);
    }
  }

  @Test
  void streamingReadingsAndSnapshotsReachListeners() {
    List<RigSnapshot> seen = new CopyOnWriteArrayList<>();
    StreamingSource meter =
        new StreamingSource() {
          @Override
          public String name() {
            return "grid_frequency";
          }

          @Override
          public void start(ReadingSink sink) {
            sink.accept(Reading.good("grid_frequency", 59.98, "Hz", clock.instant()));
          }

          @Override
          public void close() {}
        };
    try (Sampler sampler = new Sampler(clock, Duration.ofMillis(20))) {
      sampler.addStreaming(meter);
      sampler.onSnapshot(seen::add);
      sampler.start();

      await().atMost(5, TimeUnit.SECONDS).until(() -> seen.size() >= 3);

      assertThat(seen.getFirst().gridFrequencyHz().value()).isEqualTo(59.98);
      assertThat(sampler.lastSnapshot()).isNotNull();
    }
  }

  @Test
  void sourceHealthListenersHearOfAFailureAndTheRecoveryOnceEach() {
    AtomicInteger calls = new AtomicInteger();
    PolledSource flaky =
        new PolledSource() {
          @Override
          public String name() {
            return "miner_api";
          }

          @Override
          public List<Reading> sample() throws IOException {
            int n = calls.incrementAndGet();
            if (n >= 2 && n <= 4) {
              throw new IOException("connection refused");
            }
            return List.of(Reading.good("miner.hashrate_5s", 100, "TH/s", clock.instant()));
          }

          @Override
          public void close() {}
        };
    List<String> events = new CopyOnWriteArrayList<>();
    try (Sampler sampler = new Sampler(clock, Duration.ofMillis(20))) {
      sampler.addPolled(flaky, Duration.ofMillis(20), Duration.ofSeconds(5));
      sampler.onSourceHealth(
          new Sampler.SourceHealthListener() {
            @Override
            public void sourceDown(String source, String reason) {
              events.add("down " + source + " " + reason);
            }

            @Override
            public void sourceUp(String source) {
              events.add("up " + source);
            }
          });
      sampler.start();

      await().atMost(5, TimeUnit.SECONDS).until(() -> calls.get() >= 7);

      assertThat(events).containsExactly("down miner_api connection refused", "up miner_api");
    }
  }
}
