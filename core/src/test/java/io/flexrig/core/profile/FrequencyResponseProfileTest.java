package io.flexrig.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrequencyResponseProfileTest {

  @Test
  void theShippedAsicProfilesCarryErcotFastFrequencyResponse() throws Exception {
    HardwareProfile s19 = ProfileLoader.load(RepoProfiles.dir().resolve("antminer-s19j-pro.yaml"));

    FrequencyResponse f = s19.frequencyResponse();
    assertThat(f).isNotNull();
    assertThat(f.nominalHz()).isEqualTo(60);
    assertThat(f.tripHz()).isEqualTo(59.85);
    assertThat(f.ufrTripHz()).isEqualTo(59.70);
    assertThat(f.method()).isEqualTo(CurtailmentMethodKind.SLEEP);
    assertThat(f.shedToW()).isNaN();
    assertThat(f.holdS()).isEqualTo(900);
    assertThat(f.recoverHz()).isEqualTo(59.95);
  }

  @Test
  void aProfileWithoutTheSectionHasNoFrequencyResponse() throws Exception {
    HardwareProfile gpu = ProfileLoader.load(RepoProfiles.dir().resolve("hgx-h100-8x.yaml"));

    assertThat(gpu.frequencyResponse()).isNull();
  }
}
