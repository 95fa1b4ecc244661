package io.flexrig.agent.source;

/** How far a reading can be trusted; mirrors {@code flexrig.v1.Quality}. */
public enum Quality {
  /** Read just now, within the sensor's valid range. */
  GOOD,
  /** Read, but stale, estimated or outside the calibrated range. */
  UNCERTAIN,
  /** The source did not answer or answered nonsense; the value must not be used. */
  BAD;

  /** The worse of two qualities. */
  public Quality worst(Quality other) {
    return ordinal() >= other.ordinal() ? this : other;
  }
}
