package io.flexrig.sim;

import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.CurtailmentSpec;
import io.flexrig.core.profile.CurvePoint;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.Limits;
import io.flexrig.core.profile.Nameplate;
import io.flexrig.core.profile.PowerCurve;
import io.flexrig.core.profile.RigKind;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.core.profile.TemperatureLimit;
import io.flexrig.core.profile.Thermal;
import io.flexrig.core.profile.WorkloadKind;
import io.flexrig.core.profile.WorkloadSpec;
import java.util.List;
import java.util.Map;

/** The Antminer S19j Pro profile of {@code hardware-profiles/antminer-s19j-pro.yaml}, in code. */
public final class TestProfiles {

  private TestProfiles() {}

  public static HardwareProfile s19jPro() {
    return new HardwareProfile(
        "antminer-s19j-pro",
        "Bitmain",
        "Antminer S19j Pro 104T",
        RigKind.ASIC_MINER,
        new Nameplate(
            3068, 104, 29.5, 0, 0, List.of("Bitmain Antminer S19j Pro 104T specifications")),
        new PowerCurve(
            "TH/s",
            List.of(
                new CurvePoint(1500, 62),
                new CurvePoint(2000, 78),
                new CurvePoint(2500, 92),
                new CurvePoint(3068, 104),
                new CurvePoint(3250, 107))),
        new Limits(
            3250,
            1500,
            25,
            new TemperatureLimit(85, 95),
            new TemperatureLimit(75, 85),
            new TemperatureLimit(38, 45),
            1500,
            150,
            60,
            120),
        new Thermal(25, 40, 16, 11),
        List.of(
            new SensorSpec("miner_api", "cgminer://127.0.0.1:4028", Map.of()),
            new SensorSpec(
                "dc_power",
                "i2c:1/0x40/ina226",
                Map.of("shunt_ohm", "0.0002", "current_lsb_a", "0.01", "psu_efficiency", "0.94"))),
        List.of(
            new WorkloadSpec("mining", WorkloadKind.MINING, "cgminer://127.0.0.1:4028", List.of())),
        List.of(
            new CurtailmentSpec(CurtailmentMethodKind.POWER_TARGET, 15, 1500, 3250),
            new CurtailmentSpec(CurtailmentMethodKind.SLEEP, 10, 25, 25),
            new CurtailmentSpec(CurtailmentMethodKind.RELAY_CUT, 1, 0, 0)),
        "test:s19j-pro");
  }
}
