package io.flexrig.agent.status;

import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.sampler.Measurement;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.core.profile.HardwareProfile;
import java.time.Instant;
import java.util.List;

/** Statuses of a rig-1 on an S19j Pro, for tests that need one without running an agent. */
public final class TestStatuses {
  private TestStatuses() {}

  /**
   * A rig drawing 3100 W at a 2500 W target; curtailed by {@code commandId} (clamped) unless it is
   * empty.
   */
  public static RigStatus of(Instant at, String commandId, List<Reading> readings) {
    HardwareProfile profile = TestProfiles.s19jPro();
    RigSnapshot snapshot =
        new RigSnapshot(
            at,
            new Measurement(3100, Quality.GOOD, "outlet_power"),
            new Measurement(98.5, Quality.GOOD, "miner.hashrate_5s"),
            new Measurement(71, Quality.GOOD, "miner.chip_temp_max"),
            new Measurement(60, Quality.GOOD, "grid_frequency"),
            readings);
    return new RigStatus(
        at,
        new RigStatus.Identity(
            "rig-1", "site-a", profile.id(), profile.vendor(), profile.model(), "0.1.0", at),
        snapshot,
        2500,
        "RUNNING",
        new RigStatus.Curtailment(
            commandId.isEmpty() ? "RUNNING" : "CURTAILED",
            commandId,
            commandId.isEmpty() ? Double.NaN : 2500,
            commandId.isEmpty() ? null : at.plusSeconds(20),
            commandId.isEmpty() ? null : at.plusSeconds(600),
            !commandId.isEmpty()),
        new RigStatus.Safety(profile.limits(), profile.limits().maxPowerW(), false, "", "", null),
        new RigStatus.Link("127.0.0.1:7443", true, 3));
  }
}
