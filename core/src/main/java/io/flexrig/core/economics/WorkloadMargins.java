package io.flexrig.core.economics;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Expected hourly margin of each workload a site can run right now. A workload the site has no
 * hardware for is absent; {@link Workload#CURTAILED} is always available.
 */
public record WorkloadMargins(Map<Workload, Double> usdPerHour) {

  public WorkloadMargins {
    if (!usdPerHour.containsKey(Workload.CURTAILED)) {
      throw new IllegalArgumentException("the curtailed margin is required");
    }
    usdPerHour.forEach((w, m) -> Prices.requireFinite(w + " margin", m));
    usdPerHour = Collections.unmodifiableMap(new EnumMap<>(usdPerHour));
  }

  /** All three workloads available. */
  public static WorkloadMargins of(double mining, double ai, double curtailed) {
    return new WorkloadMargins(
        Map.of(Workload.MINING, mining, Workload.AI, ai, Workload.CURTAILED, curtailed));
  }

  public boolean available(Workload workload) {
    return usdPerHour.containsKey(workload);
  }

  public OptionalDouble marginOf(Workload workload) {
    Double m = usdPerHour.get(workload);
    return m == null ? OptionalDouble.empty() : OptionalDouble.of(m);
  }

  /** The workload with the highest margin; on a tie the earlier in MINING, AI, CURTAILED. */
  public Workload best() {
    Workload best = Workload.CURTAILED;
    for (Workload w : Workload.values()) {
      if (available(w) && usdPerHour.get(w) > usdPerHour.get(best)) {
        best = w;
      }
    }
    return best;
  }
}
