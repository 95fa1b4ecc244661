package io.flexrig.core.economics;

import io.flexrig.core.profile.HardwareProfile;
import java.util.EnumMap;
import java.util.Map;

/**
 * A share of a site's power that can feed either its miners or its GPU machines, but not both at
 * once (a shared feeder, transformer or interconnection limit). Whichever side is not chosen sleeps
 * and still draws its sleep power.
 *
 * @param miner the ASIC model, or null if the slot has no miners
 * @param miners number of miners (0 if none)
 * @param gpuMachine the GPU rig or node model, or null if the slot has no GPUs
 * @param gpuMachines number of GPU machines (0 if none)
 */
public record HybridSlot(
    HardwareProfile miner, int miners, HardwareProfile gpuMachine, int gpuMachines) {

  public HybridSlot {
    if (miners < 0 || gpuMachines < 0 || miners + gpuMachines == 0) {
      throw new IllegalArgumentException(
          "a slot needs some machines, got "
              + miners
              + " miners and "
              + gpuMachines
              + " GPU machines");
    }
    if ((miners > 0 && miner == null) || (gpuMachines > 0 && gpuMachine == null)) {
      throw new IllegalArgumentException("a machine count needs its profile");
    }
  }

  /**
   * Hourly margin of each workload: the chosen side at its best operating point for the price, the
   * other side asleep.
   */
  public WorkloadMargins margins(Hashprice hashprice, AiRevenue ai, double usdPerKwh) {
    double minersAsleep = 0;
    double minersBest = 0;
    if (miners > 0) {
      RigEconomics m = RigEconomics.mining(miner, hashprice);
      minersAsleep = miners * m.asleep(usdPerKwh).marginUsdPerHour();
      minersBest = miners * m.bestRunning(usdPerKwh).marginUsdPerHour();
    }
    double gpusAsleep = 0;
    double gpusBest = 0;
    if (gpuMachines > 0) {
      RigEconomics g = RigEconomics.ai(gpuMachine, ai);
      gpusAsleep = gpuMachines * g.asleep(usdPerKwh).marginUsdPerHour();
      gpusBest = gpuMachines * g.bestRunning(usdPerKwh).marginUsdPerHour();
    }
    Map<Workload, Double> out = new EnumMap<>(Workload.class);
    if (miners > 0) {
      out.put(Workload.MINING, minersBest + gpusAsleep);
    }
    if (gpuMachines > 0) {
      out.put(Workload.AI, gpusBest + minersAsleep);
    }
    out.put(Workload.CURTAILED, minersAsleep + gpusAsleep);
    return new WorkloadMargins(out);
  }
}
