package io.flexrig.agent.source.opcua;

import io.flexrig.agent.source.Quality;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/** OPC UA status codes to reading quality: the two top bits of the code say good/uncertain/bad. */
final class OpcUaQuality {
  private OpcUaQuality() {}

  static Quality of(StatusCode status) {
    if (status == null || status.isGood()) {
      return Quality.GOOD;
    }
    return status.isUncertain() ? Quality.UNCERTAIN : Quality.BAD;
  }
}
