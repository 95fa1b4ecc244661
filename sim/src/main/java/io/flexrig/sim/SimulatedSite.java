package io.flexrig.sim;

import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.sim.cgminer.CgminerApiServer;
import io.flexrig.sim.i2c.Ina226RegisterMap;
import io.flexrig.sim.i2c.SimulatedI2CBus;
import io.flexrig.sim.opcua.SiteOpcUaServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole simulated site in one process, the embedded default of the demo: one OPC UA server for
 * the site meter and PDU, one cgminer API per rig, one INA226 per rig on I2C bus (index + 1)
 * address 0x40, and a ticker advancing every rig at 10 Hz in real time.
 */
public final class SimulatedSite implements AutoCloseable {

  /** One rig to simulate. */
  public record RigSpec(String rigId, HardwareProfile profile) {}

  /**
   * Where the agent of one rig finds its sources, as Flexrig address strings.
   *
   * @param cgminerAddress {@code cgminer://127.0.0.1:PORT}
   * @param outletPowerNode {@code opcua:nsu=urn:flexrig:sim;s=PDU.Outlet07.ActivePowerW}
   * @param outletSwitchNode {@code opcua:nsu=urn:flexrig:sim;s=PDU.Outlet07.On}
   * @param gridFrequencyNode {@code opcua:nsu=urn:flexrig:sim;s=Site.Meter.FrequencyHz}
   * @param i2cAddress {@code i2c:7/0x40/ina226}
   */
  public record RigEndpoints(
      String rigId,
      String cgminerAddress,
      String outletPowerNode,
      String outletSwitchNode,
      String gridFrequencyNode,
      String i2cAddress) {}

  /**
   * How the site runs.
   *
   * @param antminerQuirks serve Antminer's malformed stats JSON ({@code }{}) from every rig
   * @param timeScale simulated seconds per real second: 1 for the demo, more to make ramps and
   *     thermal lags pass quickly in tests
   */
  public record Settings(boolean antminerQuirks, double timeScale) {
    public Settings {
      if (!(timeScale > 0)) {
        throw new IllegalArgumentException("time scale must be positive: " + timeScale);
      }
    }

    /** Well-formed JSON, real time. */
    public static Settings realTime() {
      return new Settings(false, 1.0);
    }
  }

  /** The INA226's 7-bit address with A0 and A1 tied to ground. */
  public static final int INA226_ADDRESS = 0x40;

  /** Shunt used when the profile's {@code dc_power} sensor names none: 200 uOhm. */
  public static final double DEFAULT_SHUNT_OHMS = 0.0002;

  private static final Logger log = LoggerFactory.getLogger(SimulatedSite.class);
  private static final long TICK_MS = 100;
  private static final double MAX_STEP_S = 1.0;

  private final Map<String, SimulatedRig> rigs;
  private final List<CgminerApiServer> cgminerServers;
  private final SiteOpcUaServer opcUa;
  private final SimulatedI2CBus i2cBus;
  private final ScheduledExecutorService ticker;
  private final List<RigEndpoints> endpoints;

  private SimulatedSite(
      Map<String, SimulatedRig> rigs,
      List<CgminerApiServer> cgminerServers,
      SiteOpcUaServer opcUa,
      SimulatedI2CBus i2cBus,
      ScheduledExecutorService ticker,
      List<RigEndpoints> endpoints) {
    this.rigs = rigs;
    this.cgminerServers = cgminerServers;
    this.opcUa = opcUa;
    this.i2cBus = i2cBus;
    this.ticker = ticker;
    this.endpoints = endpoints;
  }

  /** Starts every server on free loopback ports and the 10 Hz ticker. */
  public static SimulatedSite start(List<RigSpec> specs) {
    return start(specs, Settings.realTime());
  }

  /** Like {@link #start(List)}, with Antminer's malformed stats JSON if asked for. */
  public static SimulatedSite start(List<RigSpec> specs, boolean antminerQuirks) {
    return start(specs, new Settings(antminerQuirks, 1.0));
  }

  /** Starts every server on free loopback ports and the 10 Hz ticker, as the settings say. */
  public static SimulatedSite start(List<RigSpec> specs, Settings settings) {
    boolean antminerQuirks = settings.antminerQuirks();
    double timeScale = settings.timeScale();
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("a site needs at least one rig");
    }
    Map<String, SimulatedRig> rigs = new LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      RigSpec spec = specs.get(i);
      if (rigs.containsKey(spec.rigId())) {
        throw new IllegalArgumentException("duplicate rig id " + spec.rigId());
      }
      rigs.put(spec.rigId(), new SimulatedRig(spec.rigId(), spec.profile(), 1000L + i));
    }
    List<SimulatedRig> ordered = List.copyOf(rigs.values());

    List<CgminerApiServer> cgminer = new ArrayList<>();
    SiteOpcUaServer opcUa = null;
    try {
      SimulatedI2CBus bus = new SimulatedI2CBus();
      List<RigEndpoints> endpoints = new ArrayList<>();
      opcUa = new SiteOpcUaServer(ordered, 0).start();
      for (int i = 0; i < ordered.size(); i++) {
        SimulatedRig rig = ordered.get(i);
        CgminerApiServer api = new CgminerApiServer(rig, 0, antminerQuirks).start();
        cgminer.add(api);
        int busNumber = i + 1;
        bus.register(
            busNumber,
            INA226_ADDRESS,
            new Ina226RegisterMap(rig::dcPowerW, shuntOhms(rig.profile())));
        String outlet =
            "opcua:nsu="
                + SiteOpcUaServer.NAMESPACE_URI
                + ";s=PDU."
                + SiteOpcUaServer.outletName(i + 1);
        endpoints.add(
            new RigEndpoints(
                rig.rigId(),
                "cgminer://127.0.0.1:" + api.port(),
                outlet + ".ActivePowerW",
                outlet + ".On",
                gridFrequencyNode(),
                "i2c:" + busNumber + "/0x40/ina226"));
      }
      ScheduledExecutorService ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "flexrig-sim-ticker");
                t.setDaemon(true);
                return t;
              });
      long[] last = {System.nanoTime()};
      ticker.scheduleAtFixedRate(
          () -> {
            long now = System.nanoTime();
            // A stalled ticker (GC pause, suspended laptop) must not make the physics jump.
            double dt = Math.min(MAX_STEP_S, (now - last[0]) / 1e9) * timeScale;
            last[0] = now;
            for (SimulatedRig rig : ordered) {
              try {
                rig.advance(dt);
              } catch (RuntimeException e) {
                // A failed step must not cancel the ticker: later ticks would never run.
                log.error("simulation step failed for rig {}", rig.rigId(), e);
              }
            }
          },
          TICK_MS,
          TICK_MS,
          TimeUnit.MILLISECONDS);
      return new SimulatedSite(
          rigs, List.copyOf(cgminer), opcUa, bus, ticker, List.copyOf(endpoints));
    } catch (RuntimeException e) {
      cgminer.forEach(CgminerApiServer::close);
      if (opcUa != null) {
        opcUa.close();
      }
      throw e;
    }
  }

  private static double shuntOhms(HardwareProfile profile) {
    return profile
        .sensor("dc_power")
        .map(SensorSpec::options)
        .map(o -> o.get("shunt_ohm"))
        .map(Double::parseDouble)
        .orElse(DEFAULT_SHUNT_OHMS);
  }

  /** {@code opcua:nsu=urn:flexrig:sim;s=Site.Meter.FrequencyHz}. */
  public static String gridFrequencyNode() {
    return "opcua:nsu=" + SiteOpcUaServer.NAMESPACE_URI + ";s=Site.Meter.FrequencyHz";
  }

  /** {@code opcua:nsu=urn:flexrig:sim;s=Site.Meter.ActivePowerW}. */
  public static String siteMeterPowerNode() {
    return "opcua:nsu=" + SiteOpcUaServer.NAMESPACE_URI + ";s=Site.Meter.ActivePowerW";
  }

  /** One entry per rig, in the order given to {@link #start(List)}. */
  public List<RigEndpoints> endpoints() {
    return endpoints;
  }

  public RigEndpoints endpoints(String rigId) {
    return endpoints.stream()
        .filter(e -> e.rigId().equals(rigId))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no rig " + rigId));
  }

  /**
   * The rig's miner API server, e.g. for a test to take it away ({@code close()}) and bring a new
   * one back on the same port.
   *
   * @throws NoSuchElementException for an unknown rig id
   */
  public CgminerApiServer minerApi(String rigId) {
    return cgminerServers.get(endpoints.indexOf(endpoints(rigId)));
  }

  public String opcUaEndpointUrl() {
    return opcUa.endpointUrl();
  }

  public SiteOpcUaServer opcUaServer() {
    return opcUa;
  }

  public SimulatedI2CBus i2cBus() {
    return i2cBus;
  }

  /**
   * @throws NoSuchElementException for an unknown rig id
   */
  public SimulatedRig rig(String id) {
    SimulatedRig rig = rigs.get(id);
    if (rig == null) {
      throw new NoSuchElementException("no rig " + id);
    }
    return rig;
  }

  public List<SimulatedRig> rigs() {
    return List.copyOf(rigs.values());
  }

  public double siteMeterPowerW() {
    return opcUa.siteMeterPowerW();
  }

  public void setGridFrequencyHz(double hz) {
    opcUa.setGridFrequencyHz(hz);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    cgminerServers.forEach(CgminerApiServer::close);
    opcUa.close();
  }
}
