package io.flexrig.agent.source.cgminer;

import io.flexrig.agent.control.WorkloadKnobs;
import java.io.IOException;
import java.util.Locale;

/**
 * The miner's power knobs over its cgminer-family API: {@code powertarget} (watts), {@code curtail
 * sleep} and {@code curtail wakeup}. A refusal by the firmware fails with {@link
 * CgminerCommandException}.
 */
public final class MinerControl implements WorkloadKnobs {
  private final CgminerClient client;

  public MinerControl(CgminerClient client) {
    this.client = client;
  }

  @Override
  public void setPowerTarget(double watts) throws IOException {
    if (!Double.isFinite(watts) || watts <= 0) {
      throw new IllegalArgumentException(
          "power target must be a positive number of watts: " + watts);
    }
    String parameter = String.format(Locale.ROOT, "%d", Math.round(watts));
    CgminerReplies.parse("powertarget", client.send("powertarget", parameter));
  }

  @Override
  public void sleep() throws IOException {
    CgminerReplies.parse("curtail sleep", client.send("curtail", "sleep"));
  }

  @Override
  public void wake() throws IOException {
    CgminerReplies.parse("curtail wakeup", client.send("curtail", "wakeup"));
  }

  @Override
  public String toString() {
    return "MinerControl[" + client.address() + "]";
  }
}
