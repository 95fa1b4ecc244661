package io.flexrig.core.economics;

/**
 * Expected mining revenue of one TH/s for one day, in USD: what a unit of hashrate is worth.
 * Derived from difficulty (how many hashes a block takes), the block reward and the BTC price.
 *
 * @param usdPerThDay USD per TH/s per day
 */
public record Hashprice(double usdPerThDay) implements Comparable<Hashprice> {

  /** Expected hashes per block at difficulty 1. */
  public static final double HASHES_PER_DIFFICULTY = 4_294_967_296.0; // 2^32

  private static final double TH_SECONDS_PER_DAY = 86_400e12;

  public Hashprice {
    if (!(usdPerThDay >= 0) || Double.isInfinite(usdPerThDay)) {
      throw new IllegalArgumentException("hashprice must be a finite non-negative number");
    }
  }

  /** Blocks one TH/s finds per day on average: {@code 86400e12 / (difficulty * 2^32)}. */
  public static double expectedBlocksPerThDay(double difficulty) {
    if (!(difficulty > 0)) {
      throw new IllegalArgumentException("difficulty must be positive, got " + difficulty);
    }
    return TH_SECONDS_PER_DAY / (difficulty * HASHES_PER_DIFFICULTY);
  }

  /** Hashprice from difficulty, reward per block (subsidy + fees) and BTC price. */
  public static Hashprice of(double difficulty, double rewardBtcPerBlock, double btcPriceUsd) {
    return new Hashprice(expectedBlocksPerThDay(difficulty) * rewardBtcPerBlock * btcPriceUsd);
  }

  public static Hashprice of(NetworkSnapshot s) {
    return of(s.difficulty(), s.blockRewardBtc(), s.btcPriceUsd());
  }

  /** Hashprice as observed: total miner revenue per day shared over the network hashrate. */
  public static Hashprice fromRevenue(double dailyMinerRevenueUsd, double networkHashrateZhs) {
    return new Hashprice(dailyMinerRevenueUsd / (networkHashrateZhs * 1e9));
  }

  /** The same in USD per PH/s per day, the unit most pool dashboards quote. */
  public double usdPerPhDay() {
    return usdPerThDay * 1000;
  }

  /** Expected revenue per day of a machine hashing at {@code hashrateThs}. */
  public double dailyRevenueUsd(double hashrateThs) {
    return usdPerThDay * hashrateThs;
  }

  @Override
  public int compareTo(Hashprice other) {
    return Double.compare(usdPerThDay, other.usdPerThDay);
  }
}
