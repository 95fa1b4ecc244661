package io.flexrig.controller.dispatch;

import io.flexrig.core.economics.AiRevenue;
import io.flexrig.core.economics.EconomicsSeeds;
import io.flexrig.core.economics.Hashprice;
import io.flexrig.core.economics.RigEconomics;
import io.flexrig.core.economics.SeedScenario;
import io.flexrig.core.profile.ProfileCatalog;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values rigs from their hardware profiles: miners at a hashprice, GPU machines at an AI rate per
 * GPU-hour, each along its profile's power curve; minimum on/off times from the profile's limits.
 * Unknown profiles (and GPU machines without a rate) are not valued.
 */
public final class ProfileValuation implements RigValuation {

  private final ProfileCatalog catalog;
  private final Hashprice hashprice;
  private final Function<String, Optional<AiRevenue>> aiRates;
  private final Map<String, Optional<RevenueCurve>> curves = new ConcurrentHashMap<>();
  private final Map<String, Pacing> pacings = new ConcurrentHashMap<>();

  public ProfileValuation(
      ProfileCatalog catalog, Hashprice hashprice, Function<String, Optional<AiRevenue>> aiRates) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.hashprice = Objects.requireNonNull(hashprice, "hashprice");
    this.aiRates = Objects.requireNonNull(aiRates, "aiRates");
  }

  /**
   * The packaged profiles valued with the figures of {@code seeds/}: the latest network snapshot's
   * hashprice and the assumed AI rates. At one site only the ratio between rigs steers the merit
   * order, so these assumptions mostly decide mining versus AI work; replace them with live figures
   * where they matter.
   */
  public static ProfileValuation seeds() {
    EconomicsSeeds seeds = EconomicsSeeds.builtIn();
    return new ProfileValuation(
        ProfileCatalog.builtIn(),
        SeedScenario.builtIn().latest().hashprice(),
        id -> Optional.ofNullable(seeds.aiRevenue().get(id)));
  }

  @Override
  public Optional<RevenueCurve> revenue(String hardwareProfileId) {
    return curves.computeIfAbsent(hardwareProfileId, this::curveOf);
  }

  @Override
  public Pacing pacing(String hardwareProfileId) {
    return pacings.computeIfAbsent(
        hardwareProfileId,
        id ->
            catalog
                .byId(id)
                .map(
                    p ->
                        new Pacing(
                            0,
                            Math.max(0, p.limits().minOnS()),
                            Math.max(0, p.limits().minOffS()),
                            Double.POSITIVE_INFINITY,
                            Double.POSITIVE_INFINITY))
                .orElse(Pacing.NONE));
  }

  private Optional<RevenueCurve> curveOf(String id) {
    return catalog
        .byId(id)
        .flatMap(p -> RigEconomics.valued(p, hashprice, aiRates.apply(id)))
        .map(RevenueCurve::of);
  }
}
