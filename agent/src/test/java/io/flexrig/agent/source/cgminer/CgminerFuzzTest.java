package io.flexrig.agent.source.cgminer;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.flexrig.agent.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated replies must end in readings or a {@link CgminerProtocolException}, never in
 * another exception or a hang. The default run is short; {@code -Dflexrig.fuzz.iterations=1000000}
 * runs the million.
 */
class CgminerFuzzTest {
  private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
  private static final List<String> SEEDS =
      List.of(
          Fixtures.text("miners/antminer-s19jpro-summary.json"),
          Fixtures.text("miners/luxos-summary.json"),
          Fixtures.text("miners/luxos-stats.json"),
          Fixtures.text("miners/whatsminer-m50s-summary.json"),
          Fixtures.text("miners/whatsminer-m50s-edevs.json"),
          Fixtures.text("miners/avalon-a1366-stats.json"),
          Fixtures.text("miners/avalon-a1366-summary.json"),
          Fixtures.text("cgminer/stats-antminer-s19jpro.json"),
          Fixtures.text("cgminer/power-luxos.json"));
  private static final String ALPHABET = "{}[]\",:0123456789.-+eEinfaNul \0\\tr}{";

  @Test
  void mutatedRepliesYieldReadingsOrTypedErrorsOnly() {
    int iterations = Integer.getInteger("flexrig.fuzz.iterations", 20_000);
    SplittableRandom random = new SplittableRandom(20261125L);
    assertTimeoutPreemptively(
        Duration.ofMinutes(10),
        () -> {
          for (int i = 0; i < iterations; i++) {
            String input = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
            try {
              switch (i % 4) {
                case 0 -> CgminerReplies.summary(input, AT);
                case 1 -> CgminerReplies.stats(input, AT);
                case 2 -> CgminerReplies.devs("edevs", input, AT);
                default -> CgminerReplies.power(input, AT);
              }
            } catch (CgminerProtocolException expected) {
              // typed error: fine
            } catch (RuntimeException e) {
              throw new AssertionError("untyped " + e + " for input: " + input, e);
            }
          }
        });
  }

  private static String mutate(String seed, SplittableRandom random) {
    if (random.nextInt(20) == 0) {
      StringBuilder noise = new StringBuilder();
      int n = random.nextInt(64);
      for (int i = 0; i < n; i++) {
        noise.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      return noise.toString();
    }
    StringBuilder s = new StringBuilder(seed);
    int edits = 1 + random.nextInt(6);
    for (int e = 0; e < edits && !s.isEmpty(); e++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(4)) {
        case 0 -> s.deleteCharAt(at);
        case 1 -> s.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 2 -> s.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        default -> s.setLength(at); // cut short
      }
    }
    return s.toString();
  }
}
