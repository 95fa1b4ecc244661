package io.flexrig.core.economics;

import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;

/** The repository's profiles and seeds, loaded once for the economics tests. */
final class EconomicsFixtures {
  private EconomicsFixtures() {}

  private static ProfileCatalog catalog;
  private static EconomicsSeeds seeds;

  /**
   * The January 2026 hashprice of seeds/network.yaml: 86400e12 / (146.5e12 * 2^32) * 3.15 BTC *
   * 88,500 USD = 0.0382798 USD per TH/s per day, i.e. 0.00159499 USD per TH/s per hour.
   */
  static final double JAN_USD_PER_TH_HOUR = 0.0382798371 / 24;

  static synchronized ProfileCatalog catalog() throws Exception {
    if (catalog == null) {
      String dir = System.getProperty("flexrig.profiles.dir");
      catalog =
          dir != null && Files.isDirectory(Path.of(dir))
              ? ProfileCatalog.load(Path.of(dir))
              : ProfileCatalog.builtIn();
    }
    return catalog;
  }

  static HardwareProfile profile(String id) throws Exception {
    return catalog().require(id);
  }

  static Hashprice january() throws Exception {
    return SeedScenario.load(SeedScenarioTest.seedsFile())
        .snapshot(YearMonth.of(2026, 1))
        .hashprice();
  }

  static synchronized EconomicsSeeds seeds() throws Exception {
    if (seeds == null) {
      seeds = EconomicsSeeds.load(SeedScenarioTest.seedsFile().resolveSibling("economics.yaml"));
    }
    return seeds;
  }

  static RigEconomics miner(String id) throws Exception {
    return RigEconomics.mining(profile(id), january());
  }

  static StrikePrice strike(String id) throws Exception {
    return StrikePrice.of(miner(id));
  }
}
