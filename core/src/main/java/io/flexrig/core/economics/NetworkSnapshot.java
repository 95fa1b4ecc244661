package io.flexrig.core.economics;

import java.time.YearMonth;

/**
 * The Bitcoin network at one point in time, as far as a miner's revenue is concerned.
 *
 * @param period the month the figures describe
 * @param networkHashrateZhs reported (trailing) network hashrate in ZH/s; may differ from {@link
 *     #difficultyImpliedHashrateZhs()} while hashrate moves faster than the retarget
 * @param difficulty mining difficulty (e.g. {@code 146.5e12})
 * @param blockSubsidyBtc new coins per block (3.125 BTC since the April 2024 halving)
 * @param feesPerBlockBtc typical transaction fees per block
 * @param dailyMinerRevenueUsdLow low end of the range of total miner revenue per day
 * @param dailyMinerRevenueUsdHigh high end of that range
 * @param btcPriceUsd BTC price consistent with the revenue range (see {@code seeds/network.yaml})
 */
public record NetworkSnapshot(
    YearMonth period,
    double networkHashrateZhs,
    double difficulty,
    double blockSubsidyBtc,
    double feesPerBlockBtc,
    double dailyMinerRevenueUsdLow,
    double dailyMinerRevenueUsdHigh,
    double btcPriceUsd) {

  /** Seconds between blocks the difficulty adjustment aims for. */
  public static final double TARGET_BLOCK_INTERVAL_S = 600;

  public NetworkSnapshot {
    positive("network_hashrate_zhs", networkHashrateZhs);
    positive("difficulty", difficulty);
    positive("btc_price_usd", btcPriceUsd);
    if (!(blockSubsidyBtc >= 0) || !(feesPerBlockBtc >= 0)) {
      throw new IllegalArgumentException("block subsidy and fees must not be negative");
    }
    if (!(dailyMinerRevenueUsdLow > 0 && dailyMinerRevenueUsdLow <= dailyMinerRevenueUsdHigh)) {
      throw new IllegalArgumentException(
          "daily miner revenue range must be positive with low <= high");
    }
  }

  private static void positive(String field, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(field + " must be positive, got " + v);
    }
  }

  /** What one block pays the miner: subsidy plus fees. */
  public double blockRewardBtc() {
    return blockSubsidyBtc + feesPerBlockBtc;
  }

  public double dailyMinerRevenueUsdMid() {
    return (dailyMinerRevenueUsdLow + dailyMinerRevenueUsdHigh) / 2;
  }

  /** The hashrate at which blocks would arrive exactly every 600 s at this difficulty. */
  public double difficultyImpliedHashrateZhs() {
    return difficulty * Hashprice.HASHES_PER_DIFFICULTY / TARGET_BLOCK_INTERVAL_S / 1e21;
  }

  /** Blocks found per day at the reported hashrate (144 when it matches the difficulty). */
  public double blocksPerDay() {
    return 86_400 / TARGET_BLOCK_INTERVAL_S * networkHashrateZhs / difficultyImpliedHashrateZhs();
  }

  /** Network hashrate in TH/s. */
  public double networkHashrateThs() {
    return networkHashrateZhs * 1e9;
  }

  /** Expected revenue of one TH/s for a day at this snapshot. */
  public Hashprice hashprice() {
    return Hashprice.of(this);
  }
}
