package io.flexrig.controller.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a site target ("stay at or below X W") into per-rig setpoints that give up as little
 * revenue as possible, and gives load back when the site sheds more than asked.
 *
 * <p>The rule:
 *
 * <ol>
 *   <li>Aim below the target by a safety margin (default 2.5 %), so measurement noise and ramp
 *       overshoot do not put the site back over the line.
 *   <li>Each rig's options form one curve of revenue against power: its {@link RevenueCurve} from
 *       its measured power down to its power-target floor, then sleep (no revenue, sleep power).
 *       The upper concave envelope of that curve splits it into steps whose revenue lost per watt
 *       rises as the power falls, so a rig is cut along its curve while that is cheaper than
 *       sleeping it, and slept at once when sleeping is cheaper.
 *   <li>Merit order: the steps of all rigs, cheapest revenue per watt first. The bulk of them (all
 *       rate buckets whose steps together stay below the need minus the widest sleep) is taken in
 *       one pass; a heap over the rigs' next steps orders only the rest, near the margin.
 *       Power-target steps are taken partly when the need is smaller; a sleep is whole. A sleep
 *       larger than what is still needed is set aside and the walk goes on; at the end the plan
 *       takes the cheaper of the walk and the best set-aside sleep (then gives the sleep's
 *       overshoot back from the dearest power-target steps taken).
 *   <li>Constraints: a knob whose latency exceeds the time left to the deadline is not used (once
 *       the deadline has passed every knob counts again: late is better than never); a power target
 *       moves at most the rig's ramp rate times the time left; a rig woken less than its minimum
 *       on-time ago is not slept again. Rigs without fresh telemetry are skipped (nothing would
 *       verify the result). A rig that holds a power target but measures well above it is not
 *       following it: only its sleep knob counts.
 *   <li>Rigs without a revenue curve are valued as miners at {@link #FALLBACK_USD_PER_TH_DAY} and
 *       their nameplate efficiency; rigs of unknown efficiency (GPU machines) at {@link
 *       #UNKNOWN_WORK_USD_PER_KWH}, so they are shed last.
 *   <li>When the fleet cannot reach the target, the plan is best effort and reports the shortfall.
 * </ol>
 *
 * <p>{@link #release} is the other direction of the closed loop: when the site is below the aim by
 * more than a deadband, rigs get load back, highest revenue per watt first, each only once it has
 * held its setpoint for the minimum hold time and, if asleep, for its minimum off-time.
 *
 * <p>Pure: no I/O, no clock, no gRPC or JDBC types; the closed loop calls it again with fresh
 * measurements and the setpoints already held. Thread-safe: every call works on its own arrays.
 */
public final class Dispatcher {

  /** Fraction of the target kept as headroom. */
  public static final double DEFAULT_SAFETY_MARGIN = 0.025;

  /** The loop gives load back only when the site is this far below the aim (fraction of target). */
  public static final double DEFAULT_RELEASE_DEADBAND = 0.02;

  /** A setpoint is held at least this long before the loop raises it again. */
  public static final Duration DEFAULT_MIN_HOLD = Duration.ofSeconds(60);

  /** Hashprice assumed for a miner whose revenue curve is unknown, USD per TH/s per day. */
  public static final double FALLBACK_USD_PER_TH_DAY = 0.05;

  /** Value assumed for a kWh of a rig of unknown efficiency and economics (e.g. AI work). */
  public static final double UNKNOWN_WORK_USD_PER_KWH = 1.0;

  // A rig within this much of its power target counts as following it (meters and firmware
  // regulation are not exact).
  private static final double FOLLOW_TOLERANCE = 0.05;
  private static final double FOLLOW_TOLERANCE_W = 50;
  // Setpoint changes smaller than this are not worth a command.
  private static final double MIN_CHANGE_W = 1;
  private static final double EPS_W = 1e-6;
  // Rate buckets of the bulk pass: the top 16 bits of a float (sign, exponent, 7 mantissa bits),
  // monotone in the rate for rates >= 0, each bucket under 1 % wide.
  private static final int RATE_BUCKETS = 1 << 15;

  private static int bucket(double rate) {
    return rate <= 0 ? 0 : Math.min(RATE_BUCKETS - 1, Float.floatToRawIntBits((float) rate) >>> 16);
  }

  private final double safetyMargin;
  private final double releaseDeadband;
  private final double minHoldS;

  public Dispatcher() {
    this(DEFAULT_SAFETY_MARGIN);
  }

  public Dispatcher(double safetyMargin) {
    this(safetyMargin, DEFAULT_RELEASE_DEADBAND, DEFAULT_MIN_HOLD);
  }

  /**
   * @param safetyMargin fraction of the target kept as headroom, in [0, 0.5)
   * @param releaseDeadband fraction of the target the site must be below the aim before load is
   *     given back, in [0, 0.5)
   * @param minHold shortest time a setpoint is held before it is raised
   */
  public Dispatcher(double safetyMargin, double releaseDeadband, Duration minHold) {
    if (!(safetyMargin >= 0 && safetyMargin < 0.5)) {
      throw new IllegalArgumentException("safety margin must be in [0, 0.5), got " + safetyMargin);
    }
    if (!(releaseDeadband >= 0 && releaseDeadband < 0.5)) {
      throw new IllegalArgumentException(
          "release deadband must be in [0, 0.5), got " + releaseDeadband);
    }
    if (minHold.isNegative()) {
      throw new IllegalArgumentException("minimum hold must be >= 0, got " + minHold);
    }
    this.safetyMargin = safetyMargin;
    this.releaseDeadband = releaseDeadband;
    this.minHoldS = minHold.toMillis() / 1000.0;
  }

  public double safetyMargin() {
    return safetyMargin;
  }

  /**
   * Plans setpoints for one site.
   *
   * @param siteTargetW the site must stay at or below this, in watts
   * @param siteMeasuredW the site's measured power now, in watts (may include load the dispatcher
   *     cannot control)
   * @param timeToDeadline time left until the target must be met; zero or negative once passed
   * @param rigs the site's rigs that could receive a command
   */
  public DispatchPlan plan(
      double siteTargetW, double siteMeasuredW, Duration timeToDeadline, List<DispatchRig> rigs) {
    return plan(siteTargetW, siteMeasuredW, timeToDeadline, null, rigs);
  }

  /**
   * Plans setpoints for one site, for an event that ends after {@code timeToEnd}: a rig slept now
   * stays asleep at least its minimum off-time, so when that outlasts the event, sleeping it costs
   * its revenue for the whole off-time, not only until the end, and the merit order counts it so.
   *
   * @param timeToEnd time left until the event ends; null when unknown (no such cost)
   */
  public DispatchPlan plan(
      double siteTargetW,
      double siteMeasuredW,
      Duration timeToDeadline,
      Duration timeToEnd,
      List<DispatchRig> rigs) {
    if (!(siteTargetW >= 0)) {
      throw new IllegalArgumentException("site target must be >= 0 W, got " + siteTargetW);
    }
    double aimW = siteTargetW * (1 - safetyMargin);
    double needW = siteMeasuredW - aimW;
    List<DispatchPlan.Skipped> skipped = new ArrayList<>();
    if (needW <= 0) {
      return new DispatchPlan(
          Map.of(), aimW, siteMeasuredW, Math.max(0, siteMeasuredW - siteTargetW), skipped);
    }
    boolean deadlinePassed = timeToDeadline.isZero() || timeToDeadline.isNegative();
    double secondsLeft = timeToDeadline.toMillis() / 1000.0;
    double endS = timeToEnd == null ? Double.POSITIVE_INFINITY : timeToEnd.toMillis() / 1000.0;

    Steps steps = new Steps(rigs.size());
    Shape shape = new Shape();
    for (DispatchRig rig : rigs) {
      if (rig.measuredPowerW().isEmpty()) {
        skipped.add(new DispatchPlan.Skipped(rig.rigId(), "no fresh telemetry"));
        continue;
      }
      if (rig.asleep()) {
        continue;
      }
      boolean targetUsable =
          rig.powerTarget().isPresent()
              && (deadlinePassed || rig.powerTarget().get().latencyS() <= secondsLeft)
              && followsCurrentTarget(rig);
      boolean sleepKnobFast =
          rig.sleep().isPresent()
              && (deadlinePassed || rig.sleep().get().latencyS() <= secondsLeft);
      if (!targetUsable && !sleepKnobFast) {
        if (rig.powerTarget().isEmpty() && rig.sleep().isEmpty()) {
          skipped.add(new DispatchPlan.Skipped(rig.rigId(), "no power-target or sleep knob"));
        } else if (rig.powerTarget().isPresent() && !followsCurrentTarget(rig)) {
          skipped.add(new DispatchPlan.Skipped(rig.rigId(), "does not follow its power target"));
        } else {
          skipped.add(
              new DispatchPlan.Skipped(
                  rig.rigId(), "knob latency exceeds the time left to the deadline"));
        }
        continue;
      }
      boolean sleepUsable = sleepKnobFast && rig.pacing().sinceOnOffS() >= rig.pacing().minOnS();
      shape.shedOptions(rig, targetUsable, sleepUsable, deadlinePassed, secondsLeft, endS);
      steps.addRig(rig, shape);
    }
    return steps.walk(needW, siteMeasuredW, siteTargetW, aimW, skipped);
  }

  /**
   * Gives load back when the site sheds more than asked: if the measured power is below the aim
   * (target minus the safety margin) by more than the release deadband, raises or releases the rigs
   * that earn most per watt first, up to the aim and never above it. Rigs that hold their setpoint
   * for less than the minimum hold time, or sleep for less than their minimum off-time, keep it.
   */
  public ReleasePlan release(double siteTargetW, double siteMeasuredW, List<DispatchRig> rigs) {
    double aimW = siteTargetW * (1 - safetyMargin);
    double roomW = aimW - siteMeasuredW;
    if (roomW <= releaseDeadband * siteTargetW) {
      return new ReleasePlan(Map.of(), List.of(), siteMeasuredW);
    }
    // Max-heap on revenue per watt regained, over each held rig's next step up.
    Shape shape = new Shape();
    Steps steps = new Steps(rigs.size());
    for (DispatchRig rig : rigs) {
      if (rig.current().isEmpty() || rig.measuredPowerW().isEmpty()) {
        continue;
      }
      Pacing p = rig.pacing();
      if (p.sinceSetpointS() < minHoldS || (rig.asleep() && p.sinceOnOffS() < p.minOffS())) {
        continue;
      }
      if (shape.raiseOptions(rig)) {
        steps.addRig(rig, shape);
      }
    }
    return steps.raise(roomW, siteMeasuredW);
  }

  private static boolean followsCurrentTarget(DispatchRig rig) {
    if (rig.current().orElse(null) instanceof Setpoint.PowerTarget(double held)) {
      return rig.measuredPowerW().orElseThrow()
          <= held * (1 + FOLLOW_TOLERANCE) + FOLLOW_TOLERANCE_W;
    }
    return true;
  }

  static RevenueCurve valuation(DispatchRig rig) {
    if (rig.revenue().isPresent()) {
      return rig.revenue().get();
    }
    double upTo =
        Math.max(
            1,
            Math.max(
                rig.nameplateW(),
                Math.max(
                    rig.measuredPowerW().orElse(0.0),
                    rig.powerTarget().map(KnobRange::maxPowerW).orElse(0.0))));
    double usdPerKwh =
        rig.efficiencyJPerTh() > 0
            ? FALLBACK_USD_PER_TH_DAY / 24 * 1000 / rig.efficiencyJPerTh()
            : UNKNOWN_WORK_USD_PER_KWH;
    return RevenueCurve.proportional(usdPerKwh, upTo);
  }

  /**
   * One rig's reachable (power, revenue) points and their upper concave envelope, built in reused
   * arrays (no allocation per rig beyond growth).
   */
  private static final class Shape {
    double[] w = new double[16];
    double[] usd = new double[16];
    int n;
    // Index of the point that is sleep (no revenue), or -1.
    int sleepIndex;
    double startW;

    private void reset() {
      n = 0;
      sleepIndex = -1;
    }

    private void add(double powerW, double revenue) {
      if (n == w.length) {
        w = Arrays.copyOf(w, n * 2);
        usd = Arrays.copyOf(usd, n * 2);
      }
      w[n] = powerW;
      usd[n] = revenue;
      n++;
    }

    /** Points from sleep (if usable) up to the measured power; envelope in {@code w/usd}. */
    void shedOptions(
        DispatchRig rig,
        boolean targetUsable,
        boolean sleepUsable,
        boolean deadlinePassed,
        double secondsLeft,
        double endS) {
      reset();
      RevenueCurve curve = valuation(rig);
      double top = rig.measuredPowerW().orElseThrow();
      startW = top;
      if (sleepUsable && rig.sleepPowerW() < top) {
        sleepIndex = 0;
        // Asleep for its minimum off-time even if the event ends sooner: the revenue lost over
        // that time, spread over the event, is more than the rig's whole revenue.
        double offFactor = endS > 0 ? Math.max(1, rig.pacing().minOffS() / endS) : 1;
        add(rig.sleepPowerW(), curve.usdPerHourAt(top) * (1 - offFactor));
      }
      if (targetUsable) {
        KnobRange knob = rig.powerTarget().orElseThrow();
        double floor = Math.max(knob.minPowerW(), rig.sleepPowerW());
        double rampW = rig.pacing().rampWPerS();
        if (rampW > 0 && !deadlinePassed) {
          // The knob's latency already includes its usual ramp: only the ramp over the time left
          // bounds the move, not the ramp after the latency.
          floor = Math.max(floor, top - rampW * Math.max(0, secondsLeft));
        }
        if (floor < top) {
          add(floor, curve.usdPerHourAt(floor));
          double ceiling = Math.min(top, knob.maxPowerW());
          for (int i = 0; i < curve.size(); i++) {
            double p = curve.powerW(i);
            if (p > floor && p < ceiling) {
              add(p, curve.usdPerHourAt(p));
            }
          }
          if (ceiling > floor && ceiling < top) {
            add(ceiling, curve.usdPerHourAt(ceiling));
          }
        }
      }
      add(top, curve.usdPerHourAt(top));
      envelope();
    }

    /** Points from the rig's current level up to its nameplate; false when it cannot go up. */
    boolean raiseOptions(DispatchRig rig) {
      reset();
      RevenueCurve curve = valuation(rig);
      double measured = rig.measuredPowerW().orElseThrow();
      double top = Math.max(rig.nameplateW(), measured);
      boolean asleep = rig.asleep();
      double level = asleep ? rig.sleepPowerW() : measured;
      startW = level;
      if (!(top > level + MIN_CHANGE_W)) {
        return false;
      }
      if (asleep) {
        sleepIndex = 0;
        add(level, 0);
        KnobRange knob = rig.powerTarget().orElse(null);
        if (knob != null) {
          double floor = Math.max(knob.minPowerW(), level);
          if (floor > level && floor < top) {
            add(floor, curve.usdPerHourAt(floor));
          }
          for (int i = 0; i < curve.size(); i++) {
            double p = curve.powerW(i);
            if (p > floor && p < top) {
              add(p, curve.usdPerHourAt(p));
            }
          }
        }
      } else {
        add(level, curve.usdPerHourAt(level));
        for (int i = 0; i < curve.size(); i++) {
          double p = curve.powerW(i);
          if (p > level && p < top) {
            add(p, curve.usdPerHourAt(p));
          }
        }
      }
      add(top, curve.usdPerHourAt(top));
      envelope();
      return n >= 2;
    }

    // Upper concave envelope, ascending in power (monotone chain). Collinear points stay, so a
    // straight stretch of curve is still cut step by step rather than as one block.
    private void envelope() {
      int h = 0;
      for (int i = 0; i < n; i++) {
        while (h >= 2 && below(h - 2, h - 1, i)) {
          if (h - 1 == sleepIndex) {
            sleepIndex = -1;
          }
          h--;
        }
        w[h] = w[i];
        usd[h] = usd[i];
        if (i == sleepIndex) {
          sleepIndex = h;
        }
        h++;
      }
      n = h;
    }

    // True when point b lies strictly below the chord from a to c.
    private boolean below(int a, int b, int c) {
      double cross = (w[b] - w[a]) * (usd[c] - usd[a]) - (usd[b] - usd[a]) * (w[c] - w[a]);
      return cross > 1e-12 * Math.max(1, Math.abs(usd[c] - usd[a]) * (w[c] - w[a]));
    }
  }

  /**
   * The steps of all rigs in flat arrays, and the greedy walks over them. Step {@code s} of a rig
   * leads from the rig's level before it to {@code stepW[s]}, at {@code stepRate[s]} USD/h per W.
   */
  private static final class Steps {
    final DispatchRig[] rig;
    final double[] startW;
    final int[] first;
    final int[] end;
    int rigs;
    double[] stepW;
    double[] stepRate;
    boolean[] stepWhole;
    int stepCount;

    Steps(int capacity) {
      // Curves have a handful of points: a few steps per rig, grown if needed.
      int steps = 16 + capacity * 6;
      stepW = new double[steps];
      stepRate = new double[steps];
      stepWhole = new boolean[steps];
      rig = new DispatchRig[capacity];
      startW = new double[capacity];
      first = new int[capacity];
      end = new int[capacity];
    }

    void addRig(DispatchRig r, Shape shape) {
      int n = shape.n;
      int top = indexOf(shape, shape.startW);
      if (top < 0) {
        return;
      }
      int from = stepCount;
      ensure(n);
      if (top == n - 1 && n >= 2 && shape.w[0] < shape.startW) {
        // Shedding: walk down the envelope from the top.
        for (int i = n - 1; i > 0; i--) {
          double width = shape.w[i] - shape.w[i - 1];
          if (width <= 0) {
            continue;
          }
          stepW[stepCount] = shape.w[i - 1];
          stepRate[stepCount] = (shape.usd[i] - shape.usd[i - 1]) / width;
          stepWhole[stepCount] = i - 1 == shape.sleepIndex;
          stepCount++;
        }
      } else if (top == 0 && n >= 2) {
        // Raising: walk up the envelope from the bottom.
        for (int i = 1; i < n; i++) {
          double width = shape.w[i] - shape.w[i - 1];
          if (width <= 0) {
            continue;
          }
          stepW[stepCount] = shape.w[i];
          stepRate[stepCount] = (shape.usd[i] - shape.usd[i - 1]) / width;
          stepWhole[stepCount] = i - 1 == shape.sleepIndex;
          stepCount++;
        }
      }
      if (stepCount == from) {
        return;
      }
      rig[rigs] = r;
      startW[rigs] = shape.startW;
      first[rigs] = from;
      end[rigs] = stepCount;
      rigs++;
    }

    private static int indexOf(Shape shape, double powerW) {
      for (int i = 0; i < shape.n; i++) {
        if (shape.w[i] == powerW) {
          return i;
        }
      }
      return -1;
    }

    private void ensure(int more) {
      if (stepCount + more > stepW.length) {
        int size = Math.max(stepW.length * 2, stepCount + more);
        stepW = Arrays.copyOf(stepW, size);
        stepRate = Arrays.copyOf(stepRate, size);
        stepWhole = Arrays.copyOf(stepWhole, size);
      }
    }

    /** Sheds {@code needW}, cheapest revenue per watt first. */
    DispatchPlan walk(
        double needW,
        double siteMeasuredW,
        double siteTargetW,
        double aimW,
        List<DispatchPlan.Skipped> skipped) {
      int[] next = new int[rigs];
      double[] level = new double[rigs];
      boolean[] asleep = new boolean[rigs];
      for (int i = 0; i < rigs; i++) {
        next[i] = first[i];
        level[i] = startW[i];
      }
      // No step is taken twice, and each rig sets aside at most its one sleep.
      Actions taken = new Actions(stepCount);
      Actions asideSleeps = new Actions(rigs);
      double remaining = needW;
      double cost = 0;

      // Bulk first: every step the heap walk would surely take, found with a histogram of rates
      // and taken in one pass over the rigs. The walk takes the cheapest steps in order; while
      // more than the widest sleep is still needed it sets nothing aside, so all steps in rate
      // buckets whose cumulative width stays below need - widest sleep are taken by it in full.
      double[] bucketW = new double[RATE_BUCKETS];
      double widestWholeW = 0;
      for (int r = 0; r < rigs; r++) {
        double prev = startW[r];
        for (int s = first[r]; s < end[r]; s++) {
          double w = prev - stepW[s];
          bucketW[bucket(stepRate[s])] += w;
          if (stepWhole[s]) {
            widestWholeW = Math.max(widestWholeW, w);
          }
          prev = stepW[s];
        }
      }
      double bulkW = needW - widestWholeW;
      int cut = 0;
      for (double sum = 0; cut < RATE_BUCKETS && sum + bucketW[cut] <= bulkW; cut++) {
        sum += bucketW[cut];
      }
      int[] open = new int[rigs];
      int openCount = 0;
      for (int r = 0; r < rigs; r++) {
        int s = first[r];
        for (; s < end[r] && bucket(stepRate[s]) < cut; s++) {
          double w = level[r] - stepW[s];
          taken.add(r, level[r], stepW[s], stepRate[s], stepWhole[s], cost);
          cost += w * stepRate[s];
          remaining -= w;
          level[r] = stepW[s];
          asleep[r] |= stepWhole[s];
        }
        next[r] = s;
        if (s < end[r]) {
          open[openCount++] = r;
        }
      }

      Heap heap = new Heap(rigs, stepRate, stepWhole, next, false);
      heap.fill(open, openCount);
      while (remaining > EPS_W && !heap.isEmpty()) {
        int r = heap.pop();
        int s = next[r];
        double width = level[r] - stepW[s];
        if (stepWhole[s]) {
          if (width <= remaining + EPS_W) {
            taken.add(r, level[r], stepW[s], stepRate[s], true, cost);
            cost += width * stepRate[s];
            remaining -= width;
            level[r] = stepW[s];
            asleep[r] = true;
          } else {
            // fromW holds the sleep's width, toW the number of steps taken before it.
            asideSleeps.add(r, width, taken.count, stepRate[s], true, cost);
          }
          continue;
        }
        double take = Math.min(width, remaining);
        taken.add(r, level[r], level[r] - take, stepRate[s], false, cost);
        cost += take * stepRate[s];
        remaining -= take;
        level[r] -= take;
        if (take >= width - EPS_W) {
          level[r] = stepW[s];
          next[r]++;
          if (next[r] < end[r]) {
            heap.push(r);
          }
        }
      }
      int keep = taken.count;
      List<Integer> extraSleeps = new ArrayList<>();
      if (remaining <= EPS_W) {
        // Met by the walk; a set-aside sleep may still be cheaper than the steps after it.
        int best = -1;
        double bestCost = cost;
        for (int k = 0; k < asideSleeps.count; k++) {
          double c = asideSleeps.costBefore[k] + asideSleeps.fromW[k] * asideSleeps.rate[k];
          if (c < bestCost - 1e-12) {
            bestCost = c;
            best = k;
          }
        }
        if (best >= 0) {
          keep = (int) asideSleeps.toW[best];
          extraSleeps.add(best);
        }
      } else {
        // Short: take the set-aside sleeps, cheapest first, until the need is met.
        for (int k = 0; k < asideSleeps.count && remaining > EPS_W; k++) {
          extraSleeps.add(k);
          remaining -= asideSleeps.fromW[k];
        }
      }
      // Replay the kept prefix, add the sleeps, give any overshoot back from the dearest targets.
      for (int i = 0; i < rigs; i++) {
        level[i] = startW[i];
        asleep[i] = false;
      }
      Order order = new Order(rigs);
      double shed = 0;
      for (int a = 0; a < keep; a++) {
        int r = taken.rig[a];
        order.add(r);
        shed += level[r] - taken.toW[a];
        level[r] = taken.toW[a];
        asleep[r] |= taken.whole[a];
      }
      for (int k : extraSleeps) {
        int r = asideSleeps.rig[k];
        double sleepW = stepW[end[r] - 1];
        order.add(r);
        shed += level[r] - sleepW;
        level[r] = sleepW;
        asleep[r] = true;
      }
      double overshoot = shed - needW;
      for (int a = keep - 1; a >= 0 && overshoot > EPS_W; a--) {
        int r = taken.rig[a];
        if (asleep[r] || taken.whole[a]) {
          continue;
        }
        double back = Math.min(overshoot, taken.fromW[a] - taken.toW[a]);
        level[r] += back;
        overshoot -= back;
        shed -= back;
      }

      Map<String, Setpoint> setpoints = new LinkedHashMap<>();
      double plannedShed = 0;
      for (int o = 0; o < order.count; o++) {
        int r = order.rigs[o];
        DispatchRig in = rig[r];
        double measured = startW[r];
        if (!asleep[r] && level[r] >= measured - EPS_W) {
          continue;
        }
        plannedShed += measured - level[r];
        Setpoint next2 = asleep[r] ? new Setpoint.Sleep() : new Setpoint.PowerTarget(level[r]);
        if (!unchanged(in, next2)) {
          setpoints.put(in.rigId(), next2);
        }
      }
      double expectedW = siteMeasuredW - plannedShed;
      return new DispatchPlan(
          setpoints, aimW, expectedW, Math.max(0, expectedW - siteTargetW), skipped);
    }

    /** Gives back up to {@code roomW}, most revenue per watt first. */
    ReleasePlan raise(double roomW, double siteMeasuredW) {
      int[] next = new int[rigs];
      double[] level = new double[rigs];
      for (int i = 0; i < rigs; i++) {
        next[i] = first[i];
        level[i] = startW[i];
      }
      Heap heap = new Heap(rigs, stepRate, stepWhole, next, true);
      heap.fill(rigs);
      Order order = new Order(rigs);
      double room = roomW;
      while (room > MIN_CHANGE_W && !heap.isEmpty()) {
        int r = heap.pop();
        int s = next[r];
        double width = stepW[s] - level[r];
        if (stepWhole[s] && width > room) {
          continue; // a wake is whole: this rig stays asleep
        }
        double take = Math.min(width, room);
        level[r] += take;
        room -= take;
        order.add(r);
        if (take >= width - EPS_W) {
          level[r] = stepW[s];
          next[r]++;
          if (next[r] < end[r]) {
            heap.push(r);
          }
        }
      }
      Map<String, Setpoint.PowerTarget> raised = new LinkedHashMap<>();
      List<String> released = new ArrayList<>();
      double gained = 0;
      for (int o = 0; o < order.count; o++) {
        int r = order.rigs[o];
        DispatchRig in = rig[r];
        double measured = in.measuredPowerW().orElseThrow();
        double top = stepW[end[r] - 1];
        gained += level[r] - measured;
        if (level[r] >= top - MIN_CHANGE_W) {
          released.add(in.rigId());
        } else {
          raised.put(in.rigId(), new Setpoint.PowerTarget(level[r]));
        }
      }
      return new ReleasePlan(raised, released, siteMeasuredW + gained);
    }

    private static boolean unchanged(DispatchRig rig, Setpoint next) {
      Setpoint held = rig.current().orElse(null);
      if (held instanceof Setpoint.PowerTarget(double h)
          && next instanceof Setpoint.PowerTarget(double n)) {
        return Math.abs(h - n) < MIN_CHANGE_W;
      }
      return held != null && held.equals(next);
    }
  }

  /** Rigs in the order they were first touched: the merit order of the plan. */
  private static final class Order {
    final int[] rigs;
    final boolean[] seen;
    int count;

    Order(int capacity) {
      rigs = new int[capacity];
      seen = new boolean[capacity];
    }

    void add(int r) {
      if (!seen[r]) {
        seen[r] = true;
        rigs[count++] = r;
      }
    }
  }

  /** Steps taken (or set aside) in order, with the cost accumulated before each. */
  private static final class Actions {
    int[] rig;
    double[] fromW;
    double[] toW;
    double[] rate;
    boolean[] whole;
    double[] costBefore;
    int count;

    Actions(int capacity) {
      int n = Math.max(16, capacity);
      rig = new int[n];
      fromW = new double[n];
      toW = new double[n];
      rate = new double[n];
      whole = new boolean[n];
      costBefore = new double[n];
    }

    void add(int r, double from, double to, double rateUsd, boolean isWhole, double before) {
      if (count == rig.length) {
        int size = count * 2;
        rig = Arrays.copyOf(rig, size);
        fromW = Arrays.copyOf(fromW, size);
        toW = Arrays.copyOf(toW, size);
        rate = Arrays.copyOf(rate, size);
        whole = Arrays.copyOf(whole, size);
        costBefore = Arrays.copyOf(costBefore, size);
      }
      rig[count] = r;
      fromW[count] = from;
      toW[count] = to;
      rate[count] = rateUsd;
      whole[count] = isWhole;
      costBefore[count] = before;
      count++;
    }
  }

  /**
   * A binary heap of rig indices keyed by the rate of each rig's next step: cheapest first when
   * shedding, dearest first when raising. Keys live beside the items so a sift touches one small
   * array, not the steps. Ties: divisible steps before whole ones (a partial target before a
   * sleep), then input order, so a plan is reproducible.
   */
  private static final class Heap {
    final int[] items;
    final double[] keys;
    final double[] rate;
    final boolean[] whole;
    final int[] next;
    final double sign;
    int size;

    Heap(int capacity, double[] rate, boolean[] whole, int[] next, boolean max) {
      this.items = new int[Math.max(1, capacity)];
      this.keys = new double[Math.max(1, capacity)];
      this.rate = rate;
      this.whole = whole;
      this.next = next;
      this.sign = max ? -1 : 1;
    }

    boolean isEmpty() {
      return size == 0;
    }

    /** Adds every rig at once and orders them in linear time. */
    void fill(int rigs) {
      int[] all = new int[rigs];
      for (int r = 0; r < rigs; r++) {
        all[r] = r;
      }
      fill(all, rigs);
    }

    /** Adds the first {@code count} rigs of {@code which} at once. */
    void fill(int[] which, int count) {
      for (int i = 0; i < count; i++) {
        items[i] = which[i];
        keys[i] = sign * rate[next[which[i]]];
      }
      size = count;
      for (int i = (size >>> 1) - 1; i >= 0; i--) {
        siftDown(i);
      }
    }

    void push(int r) {
      int i = size++;
      items[i] = r;
      keys[i] = sign * rate[next[r]];
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!before(i, parent)) {
          break;
        }
        swap(i, parent);
        i = parent;
      }
    }

    int pop() {
      int top = items[0];
      size--;
      items[0] = items[size];
      keys[0] = keys[size];
      siftDown(0);
      return top;
    }

    private void siftDown(int i) {
      while (true) {
        int l = 2 * i + 1;
        if (l >= size) {
          return;
        }
        int c = l + 1 < size && before(l + 1, l) ? l + 1 : l;
        if (!before(c, i)) {
          return;
        }
        swap(i, c);
        i = c;
      }
    }

    // Positions i and j of the heap.
    private boolean before(int i, int j) {
      double ki = keys[i];
      double kj = keys[j];
      if (ki != kj) {
        return ki < kj;
      }
      int a = items[i];
      int b = items[j];
      boolean wa = whole[next[a]];
      boolean wb = whole[next[b]];
      if (wa != wb) {
        return !wa;
      }
      return a < b;
    }

    private void swap(int i, int j) {
      int t = items[i];
      items[i] = items[j];
      items[j] = t;
      double k = keys[i];
      keys[i] = keys[j];
      keys[j] = k;
    }
  }
}
