package io.flexrig.sim;

import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.Limits;
import io.flexrig.core.profile.Thermal;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The physics of one rig, driven by its hardware profile: wall power ramps toward the power target
 * at the profile's ramp rate, hashrate follows the power curve, temperatures lag behind power with
 * the profile's thermal time constant, and shares accumulate with the hashes done.
 *
 * <p>Time only moves in {@link #advance(double)}, so a test can step the rig deterministically; a
 * {@link SimulatedSite} calls it from its ticker. Writers (ticker, protocol servers) serialize on
 * one lock; readers see the latest immutable {@link State} without locking.
 */
public final class SimulatedRig {

  /** Pool share difficulty used to turn hashes into shares, as a typical pool would set it. */
  static final double SHARE_DIFFICULTY = 65_536;

  private static final double HASHES_PER_DIFFICULTY_1 = 4_294_967_296.0;
  private static final double NOISE_FRACTION = 0.01;
  private static final double REJECT_FRACTION = 0.004;
  private static final double HW_ERRORS_PER_SHARE = 0.0015;
  private static final double FAN_FAILED_RISE_FACTOR = 3.0;
  private static final double FAN_MIN_RPM = 3000;
  private static final double FAN_MAX_RPM = 6000;

  /**
   * One consistent view of the rig at one instant.
   *
   * @param totalTeraHashes hashes done since start, in TH, for cgminer's "MHS av"
   * @param hashrate5sThs exponential average over 5 s, as cgminer's "MHS 5s"
   * @param hashrate1mThs exponential average over 1 min
   * @param hashrate5mThs exponential average over 5 min
   * @param hashrate15mThs exponential average over 15 min
   */
  public record State(
      double elapsedS,
      double powerW,
      double powerTargetW,
      boolean sleeping,
      boolean relayClosed,
      boolean fanFailed,
      double hashrateThs,
      double chipTempC,
      double boardTempC,
      double fanRpm,
      long acceptedShares,
      long rejectedShares,
      long hardwareErrors,
      double totalTeraHashes,
      double hashrate5sThs,
      double hashrate1mThs,
      double hashrate5mThs,
      double hashrate15mThs) {}

  private final String rigId;
  private final HardwareProfile profile;
  private final Random random;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile State state;
  // Fractions of a share not yet found; guarded by lock.
  private double pendingShares;
  private double pendingHwErrors;

  public SimulatedRig(String rigId, HardwareProfile profile, long seed) {
    this.rigId = rigId;
    this.profile = profile;
    this.random = new Random(seed);
    double power = profile.nameplate().powerW();
    double hashrate = noisy(profile.powerCurve().outputAt(power));
    Thermal thermal = profile.thermal();
    this.state =
        new State(
            0,
            power,
            power,
            false,
            true,
            false,
            hashrate,
            steadyTemp(thermal.chipRiseCPerKw(), power, false),
            steadyTemp(thermal.boardRiseCPerKw(), power, false),
            fanRpmAt(power, false),
            0,
            0,
            0,
            0,
            hashrate,
            hashrate,
            hashrate,
            hashrate);
  }

  public String rigId() {
    return rigId;
  }

  public HardwareProfile profile() {
    return profile;
  }

  /** The latest consistent state; cheap, never blocks. */
  public State state() {
    return state;
  }

  /**
   * Sets the power target as the firmware would: the rig ramps toward it at the profile's rate.
   *
   * @throws IllegalArgumentException outside {@code [limits.minPowerTargetW, limits.maxPowerW]}
   */
  public void setPowerTargetW(double watts) {
    Limits limits = profile.limits();
    if (!(watts >= limits.minPowerTargetW() && watts <= limits.maxPowerW())) {
      throw new IllegalArgumentException(
          "power target "
              + watts
              + " W outside the firmware range "
              + limits.minPowerTargetW()
              + ".."
              + limits.maxPowerW()
              + " W");
    }
    update(s -> withTarget(s, watts));
  }

  /** Puts the workload to sleep: power ramps down to the profile's sleep power, no hashing. */
  public void sleep() {
    update(s -> withSleeping(s, true));
  }

  /** Wakes the workload: power ramps from sleep power back up to the power target. */
  public void wake() {
    update(s -> withSleeping(s, false));
  }

  /** Opens or closes the rig's supply relay; an open relay drops power to 0 at once. */
  public void setRelayClosed(boolean closed) {
    update(
        s ->
            new State(
                s.elapsedS,
                closed ? s.powerW : 0,
                s.powerTargetW,
                s.sleeping,
                closed,
                s.fanFailed,
                closed ? s.hashrateThs : 0,
                s.chipTempC,
                s.boardTempC,
                closed ? s.fanRpm : 0,
                s.acceptedShares,
                s.rejectedShares,
                s.hardwareErrors,
                s.totalTeraHashes,
                s.hashrate5sThs,
                s.hashrate1mThs,
                s.hashrate5mThs,
                s.hashrate15mThs));
  }

  /** Fails (or repairs) the fans: no airflow, so temperatures climb toward a much higher level. */
  public void failFan(boolean failed) {
    update(
        s ->
            new State(
                s.elapsedS,
                s.powerW,
                s.powerTargetW,
                s.sleeping,
                s.relayClosed,
                failed,
                s.hashrateThs,
                s.chipTempC,
                s.boardTempC,
                fanRpmAt(s.powerW, failed),
                s.acceptedShares,
                s.rejectedShares,
                s.hardwareErrors,
                s.totalTeraHashes,
                s.hashrate5sThs,
                s.hashrate1mThs,
                s.hashrate5mThs,
                s.hashrate15mThs));
  }

  /** Moves the rig {@code dtSeconds} forward in time; deterministic for a given seed. */
  public void advance(double dtSeconds) {
    if (!(dtSeconds > 0)) {
      return;
    }
    lock.lock();
    try {
      state = step(state, dtSeconds);
    } finally {
      lock.unlock();
    }
  }

  private State step(State s, double dt) {
    Limits limits = profile.limits();
    double power;
    if (!s.relayClosed) {
      power = 0;
    } else {
      double goal = s.sleeping ? limits.sleepPowerW() : s.powerTargetW;
      double maxStep = limits.rampWPerS() * dt;
      power = s.powerW + Math.max(-maxStep, Math.min(maxStep, goal - s.powerW));
    }
    boolean hashing = s.relayClosed && !s.sleeping;
    double hashrate = hashing ? noisy(profile.powerCurve().outputAt(power)) : 0;

    Thermal thermal = profile.thermal();
    double lag = 1 - Math.exp(-dt / thermal.timeConstantS());
    double chip =
        s.chipTempC
            + (steadyTemp(thermal.chipRiseCPerKw(), power, s.fanFailed) - s.chipTempC) * lag;
    double board =
        s.boardTempC
            + (steadyTemp(thermal.boardRiseCPerKw(), power, s.fanFailed) - s.boardTempC) * lag;

    double teraHashes = hashrate * dt;
    pendingShares += teraHashes * 1e12 / (SHARE_DIFFICULTY * HASHES_PER_DIFFICULTY_1);
    long accepted = s.acceptedShares;
    long rejected = s.rejectedShares;
    while (pendingShares >= 1) {
      pendingShares -= 1;
      if (random.nextDouble() < REJECT_FRACTION) {
        rejected++;
      } else {
        accepted++;
      }
    }
    pendingHwErrors += teraHashes * 1e12 / (SHARE_DIFFICULTY * HASHES_PER_DIFFICULTY_1);
    long hwErrors = s.hardwareErrors;
    double hwPerShare = 1 / HW_ERRORS_PER_SHARE;
    while (pendingHwErrors >= hwPerShare) {
      pendingHwErrors -= hwPerShare;
      hwErrors++;
    }

    return new State(
        s.elapsedS + dt,
        power,
        s.powerTargetW,
        s.sleeping,
        s.relayClosed,
        s.fanFailed,
        hashrate,
        chip,
        board,
        s.relayClosed ? fanRpmAt(power, s.fanFailed) : 0,
        accepted,
        rejected,
        hwErrors,
        s.totalTeraHashes + teraHashes,
        ema(s.hashrate5sThs, hashrate, dt, 5),
        ema(s.hashrate1mThs, hashrate, dt, 60),
        ema(s.hashrate5mThs, hashrate, dt, 300),
        ema(s.hashrate15mThs, hashrate, dt, 900));
  }

  private static double ema(double previous, double sample, double dt, double windowS) {
    return previous + (sample - previous) * (1 - Math.exp(-dt / windowS));
  }

  private double noisy(double output) {
    return output * (1 + NOISE_FRACTION * (2 * random.nextDouble() - 1));
  }

  private double steadyTemp(double risePerKw, double powerW, boolean fanFailed) {
    double rise = risePerKw * (fanFailed ? FAN_FAILED_RISE_FACTOR : 1);
    return profile.thermal().ambientC() + rise * powerW / 1000;
  }

  private double fanRpmAt(double powerW, boolean fanFailed) {
    if (fanFailed || powerW <= 0) {
      return 0;
    }
    double fraction = Math.min(1, powerW / profile.limits().maxPowerW());
    return Math.round(FAN_MIN_RPM + (FAN_MAX_RPM - FAN_MIN_RPM) * fraction);
  }

  private static State withTarget(State s, double target) {
    return new State(
        s.elapsedS,
        s.powerW,
        target,
        s.sleeping,
        s.relayClosed,
        s.fanFailed,
        s.hashrateThs,
        s.chipTempC,
        s.boardTempC,
        s.fanRpm,
        s.acceptedShares,
        s.rejectedShares,
        s.hardwareErrors,
        s.totalTeraHashes,
        s.hashrate5sThs,
        s.hashrate1mThs,
        s.hashrate5mThs,
        s.hashrate15mThs);
  }

  private static State withSleeping(State s, boolean sleeping) {
    return new State(
        s.elapsedS,
        s.powerW,
        s.powerTargetW,
        sleeping,
        s.relayClosed,
        s.fanFailed,
        sleeping ? 0 : s.hashrateThs,
        s.chipTempC,
        s.boardTempC,
        s.fanRpm,
        s.acceptedShares,
        s.rejectedShares,
        s.hardwareErrors,
        s.totalTeraHashes,
        s.hashrate5sThs,
        s.hashrate1mThs,
        s.hashrate5mThs,
        s.hashrate15mThs);
  }

  private void update(java.util.function.UnaryOperator<State> change) {
    lock.lock();
    try {
      state = change.apply(state);
    } finally {
      lock.unlock();
    }
  }

  /** Wall power in watts. */
  public double powerW() {
    return state.powerW;
  }

  /** DC power after the PSU, in watts: what a shunt monitor on the 12 V bus sees. */
  public double dcPowerW() {
    return state.powerW * PSU_EFFICIENCY;
  }

  /** PSU efficiency used for {@link #dcPowerW()}. */
  public static final double PSU_EFFICIENCY = 0.94;

  public double hashrateThs() {
    return state.hashrateThs;
  }

  public double chipTempC() {
    return state.chipTempC;
  }

  public double boardTempC() {
    return state.boardTempC;
  }

  public double fanRpm() {
    return state.fanRpm;
  }

  public double powerTargetW() {
    return state.powerTargetW;
  }

  public boolean isSleeping() {
    return state.sleeping;
  }

  public boolean isRelayClosed() {
    return state.relayClosed;
  }

  public boolean isFanFailed() {
    return state.fanFailed;
  }

  public long acceptedShares() {
    return state.acceptedShares;
  }

  public long rejectedShares() {
    return state.rejectedShares;
  }

  public long hardwareErrors() {
    return state.hardwareErrors;
  }

  public double elapsedS() {
    return state.elapsedS;
  }
}
