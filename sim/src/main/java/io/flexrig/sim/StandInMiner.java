package io.flexrig.sim;

import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileLoader;
import io.flexrig.sim.cgminer.CgminerApiServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in miner process for supervision tests and demos: one simulated rig behind a cgminer API
 * on loopback, in its own JVM, as a real miner binary would run beside the agent.
 *
 * <p>{@code java -cp ... io.flexrig.sim.StandInMiner <profile.yaml> [port] [crash-after-seconds]}.
 * Prints {@code cgminer API listening on 127.0.0.1:<port>} once it answers; with a crash time it
 * exits with status 3 after that many seconds, as a crashing miner would.
 */
public final class StandInMiner {
  private StandInMiner() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: StandInMiner <profile.yaml> [port] [crash-after-seconds]");
      System.exit(2);
    }
    HardwareProfile profile = ProfileLoader.load(Path.of(args[0]));
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    double crashAfterS = args.length > 2 ? Double.parseDouble(args[2]) : 0;
    SimulatedRig rig = new SimulatedRig("stand-in", profile, 1);
    CgminerApiServer api = new CgminerApiServer(rig, port).start();
    Thread ticker =
        new Thread(
            () -> {
              long last = System.nanoTime();
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
                long now = System.nanoTime();
                rig.advance(Math.min(1.0, (now - last) / 1e9));
                last = now;
              }
            },
            "stand-in-ticker");
    ticker.setDaemon(true);
    ticker.start();
    System.out.println("cgminer API listening on 127.0.0.1:" + api.port());
    System.out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stand-in miner stopping");
                  System.out.flush();
                  api.close();
                  stop.countDown();
                }));
    if (crashAfterS > 0) {
      Thread.sleep(Math.round(crashAfterS * 1000));
      System.err.println("stand-in miner: simulated crash");
      System.err.flush();
      Runtime.getRuntime().halt(3);
    }
    stop.await();
  }
}
