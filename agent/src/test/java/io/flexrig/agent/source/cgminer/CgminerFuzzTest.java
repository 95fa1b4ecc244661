package io.flexrig.agent.source.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.Fixtures;
import io.flexrig.testkit.SuiteFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated replies must end in readings or a {@link CgminerProtocolException}, never in
 * another exception, an error or a hang. The default run is the million inputs (about 15 s;
 * {@code -Dflexrig.fuzz.iterations=N} changes it). Each input has its own time bound: a watchdog
 * fails the test, naming the input, when one parse takes longer than {@link #PER_INPUT_LIMIT}.
 */
@Tag("fuzz")
class CgminerFuzzTest {
  private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration PER_INPUT_LIMIT = Duration.ofSeconds(2);

  /** A recorded reply and the parser it is for, so most mutations reach deep into that parser. */
  private record Seed(String text, int parser) {}

  private static final int SUMMARY = 0;
  private static final int STATS = 1;
  private static final int DEVS = 2;
  private static final int POWER = 3;
  private static final List<Seed> SEEDS =
      List.of(
          new Seed(Fixtures.text("miners/antminer-s19jpro-summary.json"), SUMMARY),
          new Seed(Fixtures.text("miners/luxos-summary.json"), SUMMARY),
          new Seed(Fixtures.text("miners/luxos-stats.json"), STATS),
          new Seed(Fixtures.text("miners/whatsminer-m50s-summary.json"), SUMMARY),
          new Seed(Fixtures.text("miners/whatsminer-m50s-edevs.json"), DEVS),
          new Seed(Fixtures.text("miners/avalon-a1366-stats.json"), STATS),
          new Seed(Fixtures.text("miners/avalon-a1366-summary.json"), SUMMARY),
          new Seed(Fixtures.text("cgminer/stats-antminer-s19jpro.json"), STATS),
          new Seed(Fixtures.text("cgminer/power-luxos.json"), POWER));
  private static final String ALPHABET = "{}[]\",:0123456789.-+eEinfaNul \0\\tr}{";

  /** What the parsing thread is doing, read by the watchdog. */
  private static final class Progress {
    volatile long tried;
    volatile long startedNanos = System.nanoTime();
    volatile String input = "";
    volatile Throwable failure;
    volatile boolean done;
    long random;
    long typedErrors;
  }

  @Test
  void mutatedRepliesYieldReadingsOrTypedErrorsOnly() throws InterruptedException {
    int iterations = Integer.getInteger("flexrig.fuzz.iterations", 1_000_000);
    Progress progress = new Progress();
    Thread parser = new Thread(() -> fuzz(iterations, progress), "cgminer-fuzz");
    parser.setDaemon(true); // a hung parse must not keep the test JVM alive
    parser.start();
    while (!progress.done) {
      parser.join(50);
      long inProgress = System.nanoTime() - progress.startedNanos;
      if (!progress.done && inProgress > PER_INPUT_LIMIT.toNanos()) {
        AssertionError hang =
            new AssertionError(
                "input "
                    + progress.tried
                    + " did not parse within "
                    + PER_INPUT_LIMIT
                    + ": "
                    + shorten(progress.input));
        hang.setStackTrace(parser.getStackTrace());
        parser.interrupt();
        throw hang;
      }
    }
    if (progress.failure != null) {
      throw new AssertionError(
          "untyped " + progress.failure + " for input: " + shorten(progress.input),
          progress.failure);
    }
    System.out.printf(
        "cgminer fuzz: %d inputs tried (%d random, %d mutated): %d parsed, %d typed errors,"
            + " none untyped, none over %s%n",
        progress.tried,
        progress.random,
        progress.tried - progress.random,
        progress.tried - progress.typedErrors,
        progress.typedErrors,
        PER_INPUT_LIMIT);
    assertThat(progress.tried).isEqualTo(iterations);
    SuiteFigures.record(CgminerFuzzTest.class, "miner API replies tried", progress.tried);
    SuiteFigures.record(CgminerFuzzTest.class, "of which typed errors", progress.typedErrors);
    assertThat(progress.tried - progress.typedErrors)
        .as("inputs that parsed: the mutations must reach past the first bytes")
        .isGreaterThan(iterations / 10);
  }

  private static void fuzz(int iterations, Progress progress) {
    SplittableRandom random = new SplittableRandom(20261125L);
    try {
      for (int i = 0; i < iterations; i++) {
        String input;
        int parser;
        if (random.nextInt(10) == 0) {
          input = noise(random);
          parser = i % 4;
          progress.random++;
        } else {
          Seed seed = SEEDS.get(random.nextInt(SEEDS.size()));
          input = mutate(seed.text(), random);
          // mostly the seed's own parser; sometimes another, as a miner may answer the wrong
          // command
          parser = random.nextInt(8) == 0 ? i % 4 : seed.parser();
        }
        progress.input = input;
        progress.startedNanos = System.nanoTime();
        try {
          switch (parser) {
            case SUMMARY -> CgminerReplies.summary(input, AT);
            case STATS -> CgminerReplies.stats(input, AT);
            case DEVS -> CgminerReplies.devs("edevs", input, AT);
            default -> CgminerReplies.power(input, AT);
          }
        } catch (CgminerProtocolException expected) {
          progress.typedErrors++;
        }
        progress.tried = i + 1;
      }
    } catch (Throwable e) { // an Error (stack overflow) counts as a failure too
      progress.failure = e;
    } finally {
      progress.done = true;
    }
  }

  /** Any characters at all, including non-ASCII, control characters and lone surrogates. */
  private static String noise(SplittableRandom random) {
    int n = random.nextInt(128);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(
          random.nextBoolean()
              ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
              : (char) random.nextInt(0x10000));
    }
    return sb.toString();
  }

  private static String shorten(String input) {
    return input.length() <= 400 ? input : input.substring(0, 400) + "... (" + input.length() + ")";
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
      switch (random.nextInt(7)) {
        case 0, 1 -> s.deleteCharAt(at);
        case 2, 3 -> s.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 4, 5 -> s.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        default -> s.setLength(at); // cut short
      }
    }
    return s.toString();
  }
}
