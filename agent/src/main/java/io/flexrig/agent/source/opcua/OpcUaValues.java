package io.flexrig.agent.source.opcua;

import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.time.Instant;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

/** A DataValue as a reading: numbers and booleans (1/0); anything else is BAD. */
final class OpcUaValues {
  private OpcUaValues() {}

  static Reading toReading(String name, String unit, DataValue value, Instant receivedAt) {
    Quality quality = OpcUaQuality.of(value.statusCode());
    Object v = value.value() == null ? null : value.value().value();
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof Boolean b) {
      d = b ? 1 : 0;
    } else {
      return Reading.bad(name, unit, receivedAt);
    }
    if (!Double.isFinite(d)) {
      quality = Quality.BAD;
    }
    return new Reading(name, d, unit, quality, receivedAt);
  }
}
