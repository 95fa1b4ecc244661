package io.flexrig.openadr;

/**
 * Configuration: what a SIMPLE level means for this site, in kW to shed. The spec leaves the levels
 * to the program ("normal operations, moderate load shed, high load shed, emergency load shed");
 * level 0 always means no reduction.
 *
 * @param moderateKw kW to shed at level 1
 * @param highKw kW to shed at level 2
 * @param emergencyKw kW to shed at level 3
 */
public record SimpleLevels(double moderateKw, double highKw, double emergencyKw) {
  public SimpleLevels {
    if (!(moderateKw >= 0 && moderateKw <= highKw && highKw <= emergencyKw)) {
      throw new IllegalArgumentException(
          "SIMPLE levels must be 0 <= moderateKw <= highKw <= emergencyKw, were "
              + moderateKw
              + ", "
              + highKw
              + ", "
              + emergencyKw);
    }
  }

  /** kW to shed at {@code level} (0..3). */
  public double kwFor(int level) {
    return switch (level) {
      case 0 -> 0;
      case 1 -> moderateKw;
      case 2 -> highKw;
      case 3 -> emergencyKw;
      default -> throw new IllegalArgumentException("SIMPLE level must be 0..3, was " + level);
    };
  }
}
