package io.flexrig.sim;

import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileException;
import io.flexrig.core.profile.ProfileLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a simulated site until interrupted and prints where each rig's sources are:
 *
 * <pre>
 * java io.flexrig.sim.SimulatorMain [--rigs N] [--quirks] [--speed X] PROFILE.yaml [PROFILE.yaml ...]
 * </pre>
 *
 * N rigs per profile file (default 1), named {@code <profile-id>-01}, {@code -02}, ...; {@code
 * --quirks} serves Antminer's malformed stats JSON; {@code --speed X} runs the physics X times
 * faster than real time.
 */
public final class SimulatorMain {

  private SimulatorMain() {}

  public static void main(String[] args) throws Exception {
    int perProfile = 1;
    boolean quirks = false;
    double speed = 1.0;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rigs" -> {
          if (i + 1 >= args.length) {
            usage("--rigs needs a number");
            return;
          }
          perProfile = Integer.parseInt(args[++i]);
        }
        case "--quirks" -> quirks = true;
        case "--speed" -> {
          if (i + 1 >= args.length) {
            usage("--speed needs a factor");
            return;
          }
          speed = Double.parseDouble(args[++i]);
        }
        case "-h", "--help" -> {
          usage(null);
          return;
        }
        default -> files.add(Path.of(args[i]));
      }
    }
    if (files.isEmpty() || perProfile < 1) {
      usage("give at least one profile file and --rigs >= 1");
      return;
    }
    List<SimulatedSite.RigSpec> specs = new ArrayList<>();
    for (Path file : files) {
      HardwareProfile profile;
      try {
        profile = ProfileLoader.load(file);
      } catch (ProfileException e) {
        System.err.println(e.getMessage());
        System.exit(2);
        return;
      }
      for (int n = 1; n <= perProfile; n++) {
        specs.add(
            new SimulatedSite.RigSpec(
                String.format(Locale.ROOT, "%s-%02d", profile.id(), n), profile));
      }
    }

    SimulatedSite site = SimulatedSite.start(specs, new SimulatedSite.Settings(quirks, speed));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  site.close();
                  stopped.countDown();
                }));
    System.out.println("OPC UA " + site.opcUaEndpointUrl());
    System.out.println("site meter " + SimulatedSite.siteMeterPowerNode());
    for (SimulatedSite.RigEndpoints e : site.endpoints()) {
      System.out.println(
          String.join(
              "  ",
              e.rigId(),
              e.cgminerAddress(),
              e.outletPowerNode(),
              e.outletSwitchNode(),
              e.i2cAddress()));
    }
    System.out.flush();
    stopped.await();
  }

  private static void usage(String problem) {
    if (problem != null) {
      System.err.println(problem);
    }
    System.err.println(
        "usage: SimulatorMain [--rigs N] [--quirks] [--speed X] PROFILE.yaml [PROFILE.yaml ...]");
    if (problem != null) {
      System.exit(64);
    }
  }
}
