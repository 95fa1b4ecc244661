package io.flexrig.controller.price;

import io.flexrig.core.economics.RealTimePowerPrice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prices of the OpenADR VTN's {@code PRICE} events, by event: the OpenADR bridge replaces an
 * event's intervals when the event is created or modified and drops them when it is cancelled. It
 * covers only the intervals the VTN priced, so outside them the tariff applies. Where two events
 * overlap, the one received last wins.
 */
public final class VtnPriceFeed implements PriceFeed {

  /**
   * One priced interval of a VTN event.
   *
   * @param usdPerKwh USD per kWh
   */
  public record Step(Instant start, Duration duration, double usdPerKwh) {}

  private record Priced(long order, RealTimePowerPrice prices) {}

  private final Map<String, Priced> byEvent = new ConcurrentHashMap<>();
  private long order; // guarded by this

  /** Sets (replaces) the prices of an OpenADR event. */
  public synchronized void prices(String openAdrEventId, List<Step> steps) {
    List<RealTimePowerPrice.Interval> intervals = new ArrayList<>(steps.size());
    for (Step s : steps) {
      intervals.add(new RealTimePowerPrice.Interval(s.start(), s.duration(), s.usdPerKwh()));
    }
    byEvent.put(openAdrEventId, new Priced(++order, RealTimePowerPrice.strict(intervals)));
  }

  /** Forgets an event's prices (cancelled or deleted at the VTN). */
  public void cancel(String openAdrEventId) {
    byEvent.remove(openAdrEventId);
  }

  @Override
  public String name() {
    return "openadr";
  }

  /** Events with prices, for status pages. */
  public int events() {
    return byEvent.size();
  }

  @Override
  public Optional<Quote> quoteAt(Instant at) {
    String bestId = null;
    Priced best = null;
    for (Map.Entry<String, Priced> e : byEvent.entrySet()) {
      Priced p = e.getValue();
      if (p.prices().covers(at) && (best == null || p.order() > best.order())) {
        best = p;
        bestId = e.getKey();
      }
    }
    return best == null
        ? Optional.empty()
        : Optional.of(new Quote(best.prices().usdPerKwhAt(at), "openadr:" + bestId));
  }
}
