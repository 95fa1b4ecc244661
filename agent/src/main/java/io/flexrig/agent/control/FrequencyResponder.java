package io.flexrig.agent.control;

import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.FrequencyResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The rig's autonomous fast frequency response, pure logic: fed every grid frequency reading (from
 * the meter's OPC UA subscription, as it arrives), it trips below the profile's {@code trip_hz}
 * while armed or below {@code ufr_trip_hz} always, holds the shed for {@code hold_s}, and restores
 * only once the frequency is back at or above {@code recover_hz}. As a {@link SafetyEnvelope} it
 * makes the executor shed with the profile's method whatever the commands say.
 *
 * <p>{@link #onFrequency} is called from the control thread; the envelope getters from any.
 */
public final class FrequencyResponder implements SafetyEnvelope {
  public static final String FFR_TRIPPED = "FFR_TRIPPED";
  public static final String FFR_RESTORED = "FFR_RESTORED";

  /** A change of state worth an alarm. */
  public record Transition(String code, String message) {}

  private final FrequencyResponse response;
  private final Duration hold;
  private volatile boolean armed;
  private volatile String program = "";
  private volatile boolean shedding;
  private volatile String reason = "";
  private Instant trippedAt;

  public FrequencyResponder(FrequencyResponse response) {
    this.response = response;
    this.hold = Duration.ofMillis(Math.round(response.holdS() * 1000));
  }

  /** Arms or disarms the trip at {@code trip_hz}; a shed in progress runs its course. */
  public void arm(boolean armed, String program) {
    this.armed = armed;
    this.program = program == null ? "" : program;
  }

  public boolean armed() {
    return armed;
  }

  public boolean shedding() {
    return shedding;
  }

  /** Judges one frequency reading; returns the trip or restore it caused, if any. */
  public synchronized Optional<Transition> onFrequency(double hz, Instant at) {
    if (!Double.isFinite(hz) || hz <= 0) {
      return Optional.empty();
    }
    if (!shedding) {
      boolean ufr = Double.isFinite(response.ufrTripHz()) && hz < response.ufrTripHz();
      boolean ffr = armed && hz < response.tripHz();
      if (!ufr && !ffr) {
        return Optional.empty();
      }
      shedding = true;
      trippedAt = at;
      String what =
          ufr
              ? String.format(
                  Locale.ROOT, "under-frequency relay trip %.2f Hz", response.ufrTripHz())
              : String.format(
                  Locale.ROOT,
                  "trip %.2f Hz%s",
                  response.tripHz(),
                  program.isEmpty() ? "" : " (" + program + ")");
      reason =
          String.format(
              Locale.ROOT,
              "frequency response: grid at %.3f Hz below %s, shedding by %s",
              hz,
              what,
              shedBy());
      return Optional.of(
          new Transition(
              FFR_TRIPPED,
              reason
                  + String.format(
                      Locale.ROOT,
                      "; holding at least %.0f s, restoring at %.2f Hz",
                      response.holdS(),
                      response.recoverHz())));
    }
    if (!at.isBefore(trippedAt.plus(hold)) && hz >= response.recoverHz()) {
      shedding = false;
      reason = "";
      return Optional.of(
          new Transition(
              FFR_RESTORED,
              String.format(
                  Locale.ROOT,
                  "grid back at %.3f Hz after %d s shed; load restored",
                  hz,
                  Duration.between(trippedAt, at).toSeconds())));
    }
    return Optional.empty();
  }

  private String shedBy() {
    return response.method() == CurtailmentMethodKind.POWER_TARGET
        ? String.format(Locale.ROOT, "power target %.0f W", response.shedToW())
        : response.method().toString();
  }

  @Override
  public double ceilingW() {
    return shedding && response.method() == CurtailmentMethodKind.POWER_TARGET
        ? response.shedToW()
        : Double.POSITIVE_INFINITY;
  }

  @Override
  public boolean cutRequired() {
    return shedding && response.method() != CurtailmentMethodKind.POWER_TARGET;
  }

  @Override
  public boolean cutBySupply() {
    return shedding && response.method() == CurtailmentMethodKind.RELAY_CUT;
  }

  @Override
  public String reason() {
    return reason;
  }
}
