package io.flexrig.core.economics;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The economic assumptions of {@code seeds/economics.yaml}: example tariffs, AI revenue per
 * GPU-hour, 4CP transmission cost and switching costs. They are assumptions, not market data; see
 * the comments in the file.
 *
 * @param source where the seeds were read from, for messages
 * @param fixedIndustrial a flat industrial rate
 * @param timeOfUse an example time-of-use tariff
 * @param realTimeSpike an example real-time price series with a scarcity spike
 * @param aiRevenue AI revenue per GPU-hour by hardware profile id
 * @param fourCp 4CP transmission cost and likely-peak rules
 * @param switching hysteresis of the mining/AI choice
 */
public record EconomicsSeeds(
    String source,
    FixedPowerPrice fixedIndustrial,
    TimeOfUsePowerPrice timeOfUse,
    RealTimePowerPrice realTimeSpike,
    Map<String, AiRevenue> aiRevenue,
    FourCp fourCp,
    SwitchingPolicy switching) {

  /** Classpath location of the packaged copy of {@code seeds/economics.yaml}. */
  public static final String RESOURCE = "flexrig/seeds/economics.yaml";

  /**
   * 4CP figures.
   *
   * @param transmissionUsdPerKwYear transmission charge per kW of 4CP load per year
   * @param likelyPeakThresholdMw forecast load from which an interval is flagged
   * @param topIntervalsPerMonth how many intervals the top-N rule flags per month
   */
  public record FourCp(
      double transmissionUsdPerKwYear, double likelyPeakThresholdMw, int topIntervalsPerMonth) {

    public FourCp {
      Prices.requireNonNegative("transmission_usd_per_kw_year", transmissionUsdPerKwYear);
      Prices.requirePositive("likely_peak_threshold_mw", likelyPeakThresholdMw);
      if (topIntervalsPerMonth < 1) {
        throw new IllegalArgumentException(
            "top_intervals_per_month must be at least 1, got " + topIntervalsPerMonth);
      }
    }

    public FourCpWindow thresholdRule() {
      return FourCpWindow.aboveLoad(likelyPeakThresholdMw);
    }

    public FourCpWindow topNRule() {
      return FourCpWindow.topIntervals(topIntervalsPerMonth);
    }
  }

  public EconomicsSeeds {
    aiRevenue = Map.copyOf(aiRevenue);
  }

  /** AI revenue assumed for a GPU machine's profile. */
  public AiRevenue aiRevenue(String profileId) {
    AiRevenue r = aiRevenue.get(profileId);
    if (r == null) {
      throw new NoSuchElementException(
          "no AI revenue for " + profileId + " in " + source + "; known: " + aiRevenue.keySet());
    }
    return r;
  }

  public static EconomicsSeeds load(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return load(file.toString(), reader);
    }
  }

  /** The copy packaged in the core jar. */
  public static EconomicsSeeds builtIn() {
    try (InputStream in = EconomicsSeeds.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no " + RESOURCE + " on the classpath");
      }
      return load("classpath:" + RESOURCE, new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads economics seeds.
   *
   * @throws IllegalArgumentException naming the source and the field path of the first mistake
   */
  public static EconomicsSeeds load(String sourceName, Reader yaml) {
    Object root;
    try {
      root = new Load(LoadSettings.builder().setLabel(sourceName).build()).loadFromReader(yaml);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException(sourceName + ": " + e.getMessage(), e);
    }
    Node top = new Node(sourceName + ": ", "", root);
    top.only("power_prices", "ai_revenue", "four_cp", "workload_switching");

    Node prices = top.mapping("power_prices");
    prices.only("fixed_industrial", "time_of_use", "real_time_spike");
    Node fixed = prices.mapping("fixed_industrial");
    fixed.only("usd_per_kwh");
    var fixedPrice = fixed.build(() -> new FixedPowerPrice(fixed.number("usd_per_kwh")));

    TimeOfUsePowerPrice tou = timeOfUse(prices.mapping("time_of_use"));
    RealTimePowerPrice spike = realTime(prices.mapping("real_time_spike"));

    Node ai = top.mapping("ai_revenue");
    Map<String, AiRevenue> revenue = new LinkedHashMap<>();
    for (String id : ai.keys()) {
      Node gpu = ai.mapping(id);
      gpu.only("gpu", "usd_per_gpu_hour", "utilisation");
      gpu.text("gpu");
      revenue.put(
          id,
          gpu.build(
              () -> new AiRevenue(gpu.number("usd_per_gpu_hour"), gpu.number("utilisation"))));
    }

    Node cp = top.mapping("four_cp");
    cp.only("transmission_usd_per_kw_year", "likely_peak_threshold_mw", "top_intervals_per_month");
    FourCp fourCp =
        cp.build(
            () ->
                new FourCp(
                    cp.positive("transmission_usd_per_kw_year"),
                    cp.positive("likely_peak_threshold_mw"),
                    cp.child("top_intervals_per_month").wholeNumber()));

    Node sw = top.mapping("workload_switching");
    sw.only("switching_cost_usd", "min_hold_minutes", "deadband_usd_per_hour");
    SwitchingPolicy switching =
        sw.build(
            () ->
                new SwitchingPolicy(
                    sw.number("switching_cost_usd"),
                    Duration.ofSeconds(Math.round(sw.number("min_hold_minutes") * 60)),
                    sw.number("deadband_usd_per_hour")));

    return new EconomicsSeeds(sourceName, fixedPrice, tou, spike, revenue, fourCp, switching);
  }

  private static TimeOfUsePowerPrice timeOfUse(Node tou) {
    tou.only("zone", "base_usd_per_kwh", "periods");
    ZoneId zone = tou.parse("zone", ZoneId::of, "a time zone id such as America/Chicago");
    double base = tou.number("base_usd_per_kwh");
    List<TimeOfUsePowerPrice.Period> periods = new ArrayList<>();
    List<Node> items = tou.list("periods");
    for (Node p : items) {
      p.only("name", "days", "months", "from", "to", "usd_per_kwh");
      String name = p.text("name");
      TimeOfUsePowerPrice.Days days =
          p.parse("days", TimeOfUsePowerPrice.Days::valueOf, "WEEKDAYS, WEEKENDS or ALL");
      Set<Month> months = EnumSet.noneOf(Month.class);
      if (p.has("months")) {
        for (Node m : p.list("months")) {
          months.add(m.build(() -> Month.of(m.wholeNumber())));
        }
      }
      LocalTime from = p.parse("from", LocalTime::parse, "a local time HH:MM");
      LocalTime to = p.parse("to", LocalTime::parse, "a local time HH:MM");
      double price = p.number("usd_per_kwh");
      periods.add(
          p.build(() -> new TimeOfUsePowerPrice.Period(name, days, months, from, to, price)));
    }
    return tou.build(() -> new TimeOfUsePowerPrice(zone, base, periods));
  }

  private static RealTimePowerPrice realTime(Node rt) {
    rt.only("start", "interval_minutes", "fallback_usd_per_kwh", "usd_per_mwh");
    Instant start =
        rt.parse("start", Instant::parse, "an ISO-8601 instant such as 2026-08-20T19:00:00Z");
    double minutes = rt.positive("interval_minutes");
    List<Double> mwh = new ArrayList<>();
    for (Node n : rt.list("usd_per_mwh")) {
      mwh.add(n.self());
    }
    Duration each = Duration.ofSeconds(Math.round(minutes * 60));
    var intervals = RealTimePowerPrice.consecutive(start, each, mwh);
    if (rt.has("fallback_usd_per_kwh")) {
      double fallback = rt.number("fallback_usd_per_kwh");
      return rt.build(() -> RealTimePowerPrice.withFallback(intervals, fallback));
    }
    return rt.build(() -> RealTimePowerPrice.strict(intervals));
  }

  /** A YAML value with the path that leads to it, so every error names its field. */
  private record Node(String prefix, String path, Object value) {

    String at() {
      return prefix + (path.isEmpty() ? "(top level)" : path);
    }

    private Map<?, ?> map() {
      if (value instanceof Map<?, ?> m) {
        return m;
      }
      throw new IllegalArgumentException(at() + ": expected a mapping");
    }

    private Node child(String key) {
      Map<?, ?> m = map();
      if (!m.containsKey(key)) {
        throw new IllegalArgumentException(at(key) + ": missing");
      }
      return new Node(prefix, join(key), m.get(key));
    }

    private String join(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    private String at(String key) {
      return prefix + join(key);
    }

    void only(String... known) {
      Set<String> allowed = Set.of(known);
      for (Object key : map().keySet()) {
        if (!allowed.contains(String.valueOf(key))) {
          throw new IllegalArgumentException(
              at(String.valueOf(key)) + ": unknown key; known: " + List.of(known));
        }
      }
    }

    boolean has(String key) {
      return map().containsKey(key);
    }

    List<String> keys() {
      return map().keySet().stream().map(String::valueOf).toList();
    }

    Node mapping(String key) {
      Node c = child(key);
      c.map();
      return c;
    }

    List<Node> list(String key) {
      Node c = child(key);
      if (!(c.value instanceof List<?> items)) {
        throw new IllegalArgumentException(c.at() + ": expected a list");
      }
      List<Node> out = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        out.add(new Node(prefix, c.path + "[" + i + "]", items.get(i)));
      }
      return out;
    }

    double self() {
      if (value instanceof Number n) {
        return n.doubleValue();
      }
      throw new IllegalArgumentException(at() + ": expected a number, got " + value);
    }

    int wholeNumber() {
      if (value instanceof Integer || value instanceof Long) {
        return ((Number) value).intValue();
      }
      throw new IllegalArgumentException(at() + ": expected a whole number, got " + value);
    }

    double number(String key) {
      return child(key).self();
    }

    double positive(String key) {
      double v = number(key);
      if (!(v > 0)) {
        throw new IllegalArgumentException(at(key) + ": must be positive, got " + v);
      }
      return v;
    }

    String text(String key) {
      Node c = child(key);
      if (c.value instanceof String s && !s.isBlank()) {
        return s;
      }
      throw new IllegalArgumentException(c.at() + ": expected text, got " + c.value);
    }

    <T> T parse(String key, Function<String, T> parser, String expected) {
      String raw = String.valueOf(child(key).value);
      try {
        return parser.apply(raw);
      } catch (DateTimeException | IllegalArgumentException e) {
        throw new IllegalArgumentException(at(key) + ": expected " + expected + ", got " + raw, e);
      }
    }

    /** Runs a constructor, prefixing its validation message with this node's path. */
    <T> T build(Supplier<T> constructor) {
      try {
        return constructor.get();
      } catch (IllegalArgumentException | DateTimeException e) {
        throw new IllegalArgumentException(at() + ": " + e.getMessage(), e);
      }
    }
  }
}
