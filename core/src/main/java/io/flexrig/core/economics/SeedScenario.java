package io.flexrig.core.economics;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The network snapshots of the scenario ({@code seeds/network.yaml}), oldest first.
 *
 * @param source where the snapshots were read from, for messages
 */
public record SeedScenario(String source, List<NetworkSnapshot> snapshots) {

  /** Classpath location of the packaged copy of {@code seeds/network.yaml}. */
  public static final String RESOURCE = "flexrig/seeds/network.yaml";

  private static final Set<String> KEYS =
      Set.of(
          "period",
          "network_hashrate_zhs",
          "difficulty",
          "block_subsidy_btc",
          "fees_per_block_btc",
          "daily_miner_revenue_usd",
          "btc_price_usd");

  public SeedScenario {
    snapshots = snapshots.stream().sorted(Comparator.comparing(NetworkSnapshot::period)).toList();
    if (snapshots.isEmpty()) {
      throw new IllegalArgumentException(source + ": no snapshots");
    }
  }

  /**
   * Reads a seeds file.
   *
   * @throws IllegalArgumentException naming the file and field of a malformed entry
   */
  public static SeedScenario load(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return load(file.toString(), reader);
    }
  }

  /** The copy packaged in the core jar, for the demo and tests of other modules. */
  public static SeedScenario builtIn() {
    try (InputStream in = SeedScenario.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no " + RESOURCE + " on the classpath");
      }
      return load("classpath:" + RESOURCE, new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SeedScenario load(String sourceName, Reader yaml) {
    Object root;
    try {
      root = new Load(LoadSettings.builder().setLabel(sourceName).build()).loadFromReader(yaml);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException(sourceName + ": " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> top) || !(top.get("snapshots") instanceof List<?> items)) {
      throw new IllegalArgumentException(sourceName + ": expected a mapping with 'snapshots'");
    }
    List<NetworkSnapshot> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = sourceName + ": snapshots[" + i + "]";
      if (!(items.get(i) instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException(at + ": expected a mapping");
      }
      for (Object key : m.keySet()) {
        if (!KEYS.contains(String.valueOf(key))) {
          throw new IllegalArgumentException(at + "." + key + ": unknown key; known: " + KEYS);
        }
      }
      // Read in file order so the first mistake reported is the first in the file.
      YearMonth period = period(m.get("period"), at);
      double hashrate = number(m, "network_hashrate_zhs", at);
      double difficulty = number(m, "difficulty", at);
      double subsidy = number(m, "block_subsidy_btc", at);
      double fees = number(m, "fees_per_block_btc", at);
      Map<?, ?> revenue = mapping(m, "daily_miner_revenue_usd", at);
      double low = number(revenue, "low", at + ".daily_miner_revenue_usd");
      double high = number(revenue, "high", at + ".daily_miner_revenue_usd");
      double price = number(m, "btc_price_usd", at);
      try {
        out.add(new NetworkSnapshot(period, hashrate, difficulty, subsidy, fees, low, high, price));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
      }
    }
    return new SeedScenario(sourceName, out);
  }

  private static YearMonth period(Object value, String at) {
    try {
      return YearMonth.parse(String.valueOf(value));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(at + ".period: expected YYYY-MM, got " + value, e);
    }
  }

  private static Map<?, ?> mapping(Map<?, ?> m, String key, String at) {
    if (m.get(key) instanceof Map<?, ?> inner) {
      return inner;
    }
    throw new IllegalArgumentException(at + "." + key + ": expected a mapping with low and high");
  }

  private static double number(Map<?, ?> m, String key, String at) {
    if (m.get(key) instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(
        at
            + "."
            + key
            + ": expected a number, got "
            + (m.containsKey(key) ? m.get(key) : "nothing"));
  }

  public NetworkSnapshot snapshot(YearMonth period) {
    return snapshots.stream()
        .filter(s -> s.period().equals(period))
        .findFirst()
        .orElseThrow(
            () -> new NoSuchElementException("no snapshot for " + period + " in " + source));
  }

  public NetworkSnapshot earliest() {
    return snapshots.getFirst();
  }

  public NetworkSnapshot latest() {
    return snapshots.getLast();
  }
}
