package io.flexrig.controller.dispatch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The closed loop's answer when the site sheds more than asked: which rigs get load back.
 *
 * @param raised rigs whose power target goes up (a sleeping rig woken to a reduced target
 *     included), highest revenue per watt regained first
 * @param released rigs back to normal operation, no setpoint held any more
 * @param expectedSiteW the site power expected once the changes are done, in watts
 */
public record ReleasePlan(
    Map<String, Setpoint.PowerTarget> raised, List<String> released, double expectedSiteW) {

  public ReleasePlan {
    raised = Collections.unmodifiableMap(new LinkedHashMap<>(raised));
    released = List.copyOf(released);
  }

  /** True when nothing changes. */
  public boolean isEmpty() {
    return raised.isEmpty() && released.isEmpty();
  }
}
