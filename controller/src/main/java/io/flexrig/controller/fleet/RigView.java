package io.flexrig.controller.fleet;

import java.util.Optional;

/**
 * A consistent-enough snapshot of one rig for readers (dispatch, status).
 *
 * @param registration identity, capabilities and nameplate
 * @param connected true while the rig has a live session
 * @param latest the newest sample, if any
 * @param fresh true when the newest sample is fresh and its power usable
 * @param command the curtailment command the rig holds, if any
 */
public record RigView(
    RigRegistration registration,
    boolean connected,
    Optional<RigSample> latest,
    boolean fresh,
    Optional<HeldCommand> command) {

  public String rigId() {
    return registration.rigId();
  }

  /** The measured power, when fresh and usable. */
  public Optional<Double> usablePowerW() {
    return fresh ? latest.map(RigSample::powerW) : Optional.empty();
  }

  /** True when the rig holds a curtailment command or reports that it sheds load. */
  public boolean curtailed() {
    return command.isPresent() || latest.map(s -> s.activity().shedding()).orElse(false);
  }
}
