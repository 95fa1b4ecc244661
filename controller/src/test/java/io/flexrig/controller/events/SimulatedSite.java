package io.flexrig.controller.events;

import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.RigActivity;
import io.flexrig.controller.fleet.RigCapability;
import io.flexrig.controller.fleet.RigNameplate;
import io.flexrig.controller.fleet.RigRegistration;
import io.flexrig.controller.fleet.RigSample;
import io.flexrig.controller.store.ControllerStore;
import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A site of rigs for the runner's tests: each rig follows the commands it is sent at once (as the
 * agent's executor does once its knob has acted) and reports its power to the fleet state every 50
 * ms, like telemetry arriving. Rigs are built from the packaged hardware profiles, with knob
 * latencies shortened so tests run in seconds.
 */
public final class SimulatedSite implements CommandSender, AutoCloseable {

  public static final String SITE = "site-1";

  /** One rig's power and the commands it received, in order. */
  public static final class Rig {
    public final String rigId;
    public final double normalW;
    public final double sleepW;
    public final List<RigCommand> commands = new CopyOnWriteArrayList<>();
    public final List<Instant> commandTimes = new CopyOnWriteArrayList<>();
    public volatile double powerW;
    long sequence;

    Rig(String rigId, double normalW, double sleepW) {
      this.rigId = rigId;
      this.normalW = normalW;
      this.sleepW = sleepW;
      this.powerW = normalW;
    }

    public RigCommand.Action lastAction() {
      return commands.isEmpty() ? null : commands.getLast().action();
    }
  }

  private final FleetState fleet;
  private final ControllerStore store;
  private final Clock clock;
  private final Map<String, Rig> rigs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService telemetry =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("simulated-site").daemon(true).factory());

  public SimulatedSite(FleetState fleet, ControllerStore store, Clock clock) {
    this.fleet = fleet;
    this.store = store;
    this.clock = clock;
    telemetry.scheduleAtFixedRate(this::report, 0, 50, TimeUnit.MILLISECONDS);
  }

  /** Adds a rig of a packaged model at its nameplate power, knob latencies of 0.2 s. */
  public Rig add(String rigId, String profileId) {
    HardwareProfile p = ProfileCatalog.builtIn().require(profileId);
    List<RigCapability> caps =
        p.curtailment().stream()
            .filter(c -> c.method() != CurtailmentMethodKind.RELAY_CUT)
            .map(c -> new RigCapability(c.method(), c.minPowerW(), c.maxPowerW(), 0.2))
            .toList();
    RigRegistration reg =
        new RigRegistration(
            rigId,
            SITE,
            profileId,
            "test",
            caps,
            new RigNameplate(
                p.nameplate().powerW(),
                p.nameplate().hashrateThs(),
                p.nameplate().efficiencyJPerTh(),
                p.limits().sleepPowerW(),
                0));
    return register(reg, new Rig(rigId, p.nameplate().powerW(), p.limits().sleepPowerW()));
  }

  /** Adds load the dispatcher cannot control (no knobs), e.g. a chiller. */
  public Rig addUncontrolled(String rigId, double powerW) {
    RigRegistration reg =
        new RigRegistration(
            rigId, SITE, "none", "test", List.of(), new RigNameplate(powerW, 0, 0, 0, 0));
    return register(reg, new Rig(rigId, powerW, 0));
  }

  private Rig register(RigRegistration reg, Rig rig) {
    store.saveRig(reg, clock.instant()).join();
    fleet.connected(reg);
    rigs.put(rig.rigId, rig);
    report(rig);
    return rig;
  }

  public double sitePowerW() {
    return rigs.values().stream().mapToDouble(r -> r.powerW).sum();
  }

  @Override
  public boolean send(RigCommand command) {
    Rig rig = rigs.get(command.rigId());
    if (rig == null) {
      return false;
    }
    rig.commands.add(command);
    rig.commandTimes.add(clock.instant());
    rig.powerW =
        switch (command.action()) {
          case SET_POWER_TARGET -> Math.min(rig.normalW, command.powerW());
          case SLEEP -> rig.sleepW;
          case WAKE, RELEASE -> rig.normalW;
        };
    fleet.commandAcknowledged(rig.rigId, command.commandId(), true);
    return true;
  }

  private void report() {
    for (Rig rig : rigs.values()) {
      report(rig);
    }
  }

  private synchronized void report(Rig rig) {
    Instant now = clock.instant();
    fleet.recordSample(
        rig.rigId,
        new RigSample(
            ++rig.sequence, now, rig.powerW, true, "GOOD", 0, 60, 60, RigActivity.RUNNING, 0, now));
  }

  @Override
  public void close() {
    telemetry.shutdownNow();
  }
}
