package io.flexrig.agent.safety;

/**
 * Something the safety loop did or saw, for the controller.
 *
 * @param code {@code THERMAL_DERATE}, {@code THERMAL_CUT}, {@code FAN_FAILURE}, {@code OVER_POWER}
 *     or {@code SAFETY_RECOVERED}
 */
public record SafetyAlarm(String code, Severity severity, String message) {

  /** How bad; mirrors {@code flexrig.v1.AlarmSeverity}. */
  public enum Severity {
    INFO,
    WARNING,
    CRITICAL
  }

  public static final String THERMAL_DERATE = "THERMAL_DERATE";
  public static final String THERMAL_CUT = "THERMAL_CUT";
  public static final String FAN_FAILURE = "FAN_FAILURE";
  public static final String OVER_POWER = "OVER_POWER";
  public static final String SAFETY_RECOVERED = "SAFETY_RECOVERED";
}
