package io.flexrig.core.economics;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Picks MINING, AI or CURTAILED for a hybrid slot from hashprice, power price and AI revenue, with
 * hysteresis: the best option replaces the current one only once the current one has been held for
 * the policy's minimum time and the gain, per hour, beats the switching cost amortised over that
 * hold plus a deadband. Not thread-safe: one instance per slot, called by one dispatcher. Grid
 * emergencies bypass it: they curtail through the dispatcher regardless of this choice.
 */
public final class WorkloadChoice {
  private final SwitchingPolicy policy;
  private Workload current;
  private Instant since;

  /**
   * @param initial what the slot is running now
   * @param since when that started (a slot just started counts from its start)
   */
  public WorkloadChoice(SwitchingPolicy policy, Workload initial, Instant since) {
    this.policy = policy;
    this.current = initial;
    this.since = since;
  }

  public Workload current() {
    return current;
  }

  public Instant since() {
    return since;
  }

  /** Decides for a slot at the given market inputs. */
  public WorkloadDecision decide(
      Instant now, HybridSlot slot, Hashprice hashprice, AiRevenue ai, double usdPerKwh) {
    return decide(now, slot.margins(hashprice, ai, usdPerKwh));
  }

  /** Decides from precomputed margins. */
  public WorkloadDecision decide(Instant now, WorkloadMargins margins) {
    if (now.isBefore(since)) {
      throw new IllegalArgumentException("decision at " + now + " before the choice of " + since);
    }
    if (!margins.available(current)) {
      // The hardware for the current workload is gone: no hysteresis protects an impossible choice.
      return switchTo(now, margins, margins.best(), current + " is not available");
    }
    Workload best = margins.best();
    double currentMargin = margins.marginOf(current).orElseThrow();
    if (best == current) {
      return keep(now, margins, currentMargin, "already the best");
    }
    double gain = margins.marginOf(best).orElseThrow() - currentMargin;
    Duration held = Duration.between(since, now);
    if (held.compareTo(policy.minHold()) < 0) {
      return keep(
          now,
          margins,
          currentMargin,
          "held "
              + held
              + " of "
              + policy.minHold()
              + "; "
              + best
              + " would gain "
              + round(gain)
              + " USD/h");
    }
    double threshold = policy.switchThresholdUsdPerHour();
    if (gain <= threshold) {
      return keep(
          now,
          margins,
          currentMargin,
          best
              + " gains "
              + round(gain)
              + " USD/h, not above the "
              + round(threshold)
              + " USD/h switching threshold");
    }
    return switchTo(
        now, margins, best, best + " gains " + round(gain) + " USD/h > " + round(threshold));
  }

  private WorkloadDecision keep(Instant now, WorkloadMargins m, double margin, String reason) {
    return new WorkloadDecision(now, current, margin, false, m, reason);
  }

  private WorkloadDecision switchTo(Instant now, WorkloadMargins m, Workload to, String reason) {
    current = to;
    since = now;
    return new WorkloadDecision(now, to, m.marginOf(to).orElseThrow(), true, m, reason);
  }

  private static String round(double usd) {
    return String.format(Locale.ROOT, "%.3f", usd);
  }
}
