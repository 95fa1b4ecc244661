package io.flexrig.controller.hybrid;

import static io.flexrig.controller.price.OptionValues.number;
import static io.flexrig.controller.price.OptionValues.value;

import io.flexrig.controller.price.OptionValues;
import io.flexrig.core.economics.AiRevenue;
import io.flexrig.core.economics.SwitchingPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code hybrid-*} options: which sites choose between mining and AI, how reluctant a switch
 * is, how often the choice is made, and optionally one AI rate for every GPU model (otherwise the
 * seed rate of each model).
 *
 * @param sites the hybrid sites, each with the same policy
 * @param tick how often the choice is evaluated
 * @param aiRate one AI revenue for every GPU model; empty: the seed rate per model
 */
public record HybridSettings(List<HybridSite> sites, Duration tick, Optional<AiRevenue> aiRate) {

  /** The option names, as the properties file and the command line spell them. */
  public static final Set<String> KEYS =
      Set.of(
          "hybrid-sites",
          "hybrid-switching-cost-usd",
          "hybrid-min-hold-s",
          "hybrid-deadband-usd-per-hour",
          "hybrid-tick-s",
          "hybrid-ai-usd-per-gpu-hour",
          "hybrid-ai-utilisation");

  /**
   * A switch costs 5 USD (an hour of a small site's margin lost to draining, model loading or
   * hashboard restarts), a choice is held an hour, and the alternative must also beat it by 1
   * USD/h.
   */
  public static final SwitchingPolicy DEFAULT_POLICY =
      new SwitchingPolicy(5, Duration.ofHours(1), 1);

  public static final Duration DEFAULT_TICK = Duration.ofMinutes(1);

  public HybridSettings {
    sites = List.copyOf(sites);
    if (sites.isEmpty()) {
      throw new IllegalArgumentException("hybrid switching needs at least one site");
    }
    Objects.requireNonNull(aiRate, "aiRate");
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("hybrid-tick-s must be positive, got " + tick);
    }
  }

  /**
   * Reads the {@code hybrid-*} options; empty when {@code hybrid-sites} is not given (off by
   * default).
   *
   * @param option an option's value by key, null when not given
   * @throws IllegalArgumentException naming the option and what is wrong with it
   */
  public static Optional<HybridSettings> parse(Function<String, String> option) {
    String sites = value(option, "hybrid-sites");
    if (sites == null) {
      for (String key : KEYS) {
        if (value(option, key) != null) {
          throw new IllegalArgumentException(
              "--" + key + " needs --hybrid-sites (the sites that choose mining or AI)");
        }
      }
      return Optional.empty();
    }
    SwitchingPolicy policy;
    try {
      policy =
          new SwitchingPolicy(
              number(option, "hybrid-switching-cost-usd", DEFAULT_POLICY.switchingCostUsd()),
              seconds(option, "hybrid-min-hold-s", DEFAULT_POLICY.minHold()),
              number(option, "hybrid-deadband-usd-per-hour", DEFAULT_POLICY.deadbandUsdPerHour()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--hybrid-*: " + e.getMessage(), e);
    }
    List<HybridSite> list =
        Arrays.stream(sites.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .distinct()
            .map(s -> new HybridSite(s, policy))
            .toList();
    if (list.isEmpty()) {
      throw new IllegalArgumentException("--hybrid-sites: expected site ids, got '" + sites + "'");
    }
    Optional<AiRevenue> ai = Optional.empty();
    String rate = value(option, "hybrid-ai-usd-per-gpu-hour");
    if (rate != null) {
      try {
        ai =
            Optional.of(
                new AiRevenue(
                    number(option, "hybrid-ai-usd-per-gpu-hour", 0),
                    number(option, "hybrid-ai-utilisation", 1)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--hybrid-ai-*: " + e.getMessage(), e);
      }
    } else if (value(option, "hybrid-ai-utilisation") != null) {
      throw new IllegalArgumentException(
          "--hybrid-ai-utilisation needs --hybrid-ai-usd-per-gpu-hour");
    }
    return Optional.of(
        new HybridSettings(list, seconds(option, "hybrid-tick-s", DEFAULT_TICK), ai));
  }

  private static Duration seconds(Function<String, String> option, String key, Duration otherwise) {
    return OptionValues.seconds(key, value(option, key), otherwise);
  }
}
