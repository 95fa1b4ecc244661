package io.flexrig.cli;

import static org.awaitility.Awaitility.await;

import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.SiteStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real FleetController on loopback (SQLite in a test's folder) with two 3 kW scripted rigs on one
 * site, and flexrigctl runs against it.
 */
final class LoopbackSite implements AutoCloseable {

  /** The site of the two rigs. */
  static final String SITE = "site-1";

  private final Path database;
  private final List<ScriptedRig> rigs = new ArrayList<>();
  private final int port;
  private FleetController controller;

  private LoopbackSite(Path dir) {
    database = dir.resolve("controller.db");
    controller = new FleetController(ControllerConfig.loopback(0, database)).start();
    port = controller.port();
    rigs.add(new ScriptedRig(port, SITE, "rig-a", 3000));
    rigs.add(new ScriptedRig(port, SITE, "rig-b", 3000));
  }

  /** Starts the controller and the rigs and waits until the controller measures both. */
  static LoopbackSite start(Path dir) throws InterruptedException {
    LoopbackSite site = new LoopbackSite(dir);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> site.measuredKw() > 5.99);
    } catch (RuntimeException e) {
      site.close();
      throw e;
    }
    return site;
  }

  private double measuredKw() {
    CtlRun r = ctl("--json", "site", "status", "--site", SITE);
    return r.exitCode() != 0
        ? 0
        : CtlRun.parse(r.out(), SiteStatus.newBuilder()).build().getMeasuredKw();
  }

  /** {@code 127.0.0.1:<port>} of the controller. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /** flexrigctl with {@code --plaintext --controller <address>} before {@code args}. */
  CtlRun ctl(String... args) {
    String[] all =
        Stream.concat(Stream.of("--plaintext", "--controller", address()), Stream.of(args))
            .toArray(String[]::new);
    return CtlRun.of(Map.of(), all);
  }

  /** Stops the controller (the rigs keep trying to reconnect). */
  void stopController() {
    controller.close();
  }

  /** Starts the controller again on the same port and database, after {@link #stopController}. */
  void startControllerAgain() {
    controller.close();
    controller = new FleetController(ControllerConfig.loopback(port, database)).start();
  }

  @Override
  public void close() throws InterruptedException {
    for (ScriptedRig rig : rigs) {
      rig.close();
    }
    controller.close();
  }
}
