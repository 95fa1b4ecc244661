package io.flexrig.agent.source.opcua;

import io.flexrig.agent.source.Source;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDriver;
import io.flexrig.core.profile.SensorSpec;
import java.util.Locale;

/**
 * Driver for {@code opcua:} addresses on the rig's OPC UA endpoint (from the agent config). All
 * nodes of one endpoint share one {@link OpcUaSession}, secured by the context's {@link
 * OpcUaSecurity} service (None when there is none). Option {@code unit} names the unit; otherwise
 * it is guessed from the role (power: W, frequency: Hz). Frequency nodes are read through the
 * session's fast subscription (option {@code fast} overrides).
 */
public final class OpcUaDriver implements SourceDriver {

  @Override
  public String scheme() {
    return "opcua";
  }

  @Override
  public Source open(SensorSpec sensor, SourceContext context) {
    OpcUaNodeAddress address = OpcUaNodeAddress.parse(sensor.address());
    return new OpcUaNodeSource(
        sensor.role(),
        unitOf(sensor),
        address,
        session(context),
        isFast(sensor),
        deadbandOf(sensor));
  }

  /** The rig's shared session, opened on first use. */
  public static OpcUaSession session(SourceContext context) {
    String url =
        context
            .opcUaEndpointUrl()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "OPC UA sensors need an opcua endpoint URL in the agent config"));
    return context.shared(
        "opcua." + url,
        OpcUaSession.class,
        () ->
            new OpcUaSession(
                url,
                context.service(OpcUaSecurity.class).orElse(OpcUaSecurity.NONE),
                context.samplingInterval(),
                context.clock()));
  }

  /**
   * Grid frequency feeds the autonomous frequency response, which has a quarter of a second: it is
   * read through the fast subscription. Option {@code fast: true|false} decides for any node.
   */
  static boolean isFast(SensorSpec sensor) {
    String option = sensor.options().get("fast");
    if (option != null) {
      return Boolean.parseBoolean(option);
    }
    return sensor.role().toLowerCase(Locale.ROOT).contains("frequency");
  }

  /**
   * The sensor's {@code deadband} option (absolute, in its unit; 0: every change), else {@link
   * OpcUaSession#FREQUENCY_DEADBAND_HZ} for a grid-frequency sensor and 0 for the others.
   */
  static double deadbandOf(SensorSpec sensor) {
    String option = sensor.options().get("deadband");
    if (option != null) {
      return Double.parseDouble(option);
    }
    return sensor.role().toLowerCase(Locale.ROOT).contains("frequency")
        ? OpcUaSession.FREQUENCY_DEADBAND_HZ
        : 0;
  }

  static String unitOf(SensorSpec sensor) {
    String unit = sensor.options().get("unit");
    if (unit != null) {
      return unit;
    }
    String role = sensor.role().toLowerCase(Locale.ROOT);
    if (role.contains("power")) {
      return "W";
    }
    if (role.contains("frequency")) {
      return "Hz";
    }
    return "";
  }
}
