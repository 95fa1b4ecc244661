package io.flexrig.core.economics;

/**
 * What a GPU earns running AI work (rental or inference), the counterpart of {@link Hashprice} for
 * GPU machines.
 *
 * @param usdPerGpuHour price of one GPU-hour when it is sold (rental rate or inference revenue)
 * @param utilisation share of the hours actually sold, 0..1: idle GPUs draw power but earn nothing
 */
public record AiRevenue(double usdPerGpuHour, double utilisation) {

  public AiRevenue {
    Prices.requireNonNegative("usd_per_gpu_hour", usdPerGpuHour);
    if (!(utilisation >= 0 && utilisation <= 1)) {
      throw new IllegalArgumentException("utilisation must be within 0..1, got " + utilisation);
    }
  }

  /** Expected revenue of one GPU for one hour at stock power. */
  public double expectedUsdPerGpuHour() {
    return usdPerGpuHour * utilisation;
  }

  /** The same rate at another utilisation. */
  public AiRevenue withUtilisation(double newUtilisation) {
    return new AiRevenue(usdPerGpuHour, newUtilisation);
  }
}
