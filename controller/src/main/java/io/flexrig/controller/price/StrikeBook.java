package io.flexrig.controller.price;

import io.flexrig.core.economics.AiRevenue;
import io.flexrig.core.economics.EconomicsSeeds;
import io.flexrig.core.economics.Hashprice;
import io.flexrig.core.economics.RigEconomics;
import io.flexrig.core.economics.SeedScenario;
import io.flexrig.core.economics.StrikePrice;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The strike prices of every rig model the controller knows: at which power price each model should
 * reduce its power target or sleep. Built once per model from its hardware profile and the current
 * hashprice or AI rate.
 */
public final class StrikeBook {

  private final ProfileCatalog catalog;
  private final Hashprice hashprice;
  private final Function<String, Optional<AiRevenue>> aiRates;
  private final Map<String, Optional<StrikePrice>> strikes = new ConcurrentHashMap<>();

  public StrikeBook(
      ProfileCatalog catalog, Hashprice hashprice, Function<String, Optional<AiRevenue>> aiRates) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.hashprice = Objects.requireNonNull(hashprice, "hashprice");
    this.aiRates = Objects.requireNonNull(aiRates, "aiRates");
  }

  /** The packaged profiles at the latest seed hashprice and the seed AI rates. */
  public static StrikeBook seeds() {
    EconomicsSeeds seeds = EconomicsSeeds.builtIn();
    return new StrikeBook(
        ProfileCatalog.builtIn(),
        SeedScenario.builtIn().latest().hashprice(),
        id -> Optional.ofNullable(seeds.aiRevenue().get(id)));
  }

  /** The strike prices of a model; empty when the model or its revenue is unknown. */
  public Optional<StrikePrice> of(String hardwareProfileId) {
    return strikes.computeIfAbsent(hardwareProfileId, this::strikeOf);
  }

  /** The model's profile, for its time rules. */
  public Optional<HardwareProfile> profile(String hardwareProfileId) {
    return catalog.byId(hardwareProfileId);
  }

  private Optional<StrikePrice> strikeOf(String id) {
    return catalog
        .byId(id)
        .flatMap(p -> RigEconomics.valued(p, hashprice, aiRates.apply(id)))
        .map(StrikePrice::of);
  }
}
