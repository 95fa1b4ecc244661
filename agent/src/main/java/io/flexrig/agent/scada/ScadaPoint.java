package io.flexrig.agent.scada;

import io.flexrig.agent.source.Quality;
import java.util.Objects;

/**
 * One value of the rig as a SCADA sees it: a variable {@code folder/name} under the rig's object.
 *
 * @param folder the folder under the rig ({@code Power}, {@code Curtailment}, ...)
 * @param name the variable's browse name, with its unit as a suffix where it has one
 * @param value a {@link Double}, {@link Boolean}, {@link String}, {@link Integer} or {@link
 *     java.time.Instant}; null only for an instant that does not exist (no deadline)
 * @param type the value's type, so a variable keeps its data type while it has no value
 * @param quality how far the value can be trusted (sensor readings carry their own)
 * @param unit the engineering unit; {@link Unit#NONE} for states, counts and names
 */
public record ScadaPoint(
    String folder, String name, Object value, Type type, Quality quality, Unit unit) {

  public ScadaPoint {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(unit, "unit");
  }

  /** {@code folder/name}: unique within a rig. */
  public String path() {
    return folder + "/" + name;
  }

  /** The data types the address space uses. */
  public enum Type {
    DOUBLE,
    BOOLEAN,
    STRING,
    INT32,
    DATE_TIME
  }

  /**
   * Engineering units as UNECE Recommendation 20 codes, the way OPC UA's {@code EUInformation}
   * names them; hashrate has no UNECE code and is named in Flexrig's own unit namespace.
   */
  public enum Unit {
    NONE("", "", ""),
    WATT("WTT", "W", "watt"),
    CELSIUS("CEL", "°C", "degree Celsius"),
    RPM("RPM", "r/min", "revolutions per minute"),
    TERAHASH_PER_SECOND("", "TH/s", "terahashes per second");

    private final String uneceCode;
    private final String symbol;
    private final String description;

    Unit(String uneceCode, String symbol, String description) {
      this.uneceCode = uneceCode;
      this.symbol = symbol;
      this.description = description;
    }

    /** The UNECE common code, empty when the unit has none. */
    public String uneceCode() {
      return uneceCode;
    }

    /**
     * The {@code EUInformation.unitId} of OPC UA Part 8: the UNECE code's characters packed into an
     * integer (WTT = 5723220); -1 when the unit has no UNECE code.
     */
    public int unitId() {
      if (uneceCode.isEmpty()) {
        return -1;
      }
      int id = 0;
      for (char c : uneceCode.toCharArray()) {
        id = id << 8 | c;
      }
      return id;
    }

    public String symbol() {
      return symbol;
    }

    public String description() {
      return description;
    }
  }
}
