package io.flexrig.controller.openadr;

import io.flexrig.controller.FleetController;
import io.flexrig.controller.grpc.InternalGridDoor;
import io.flexrig.openadr.ven.VenClient;
import io.flexrig.openadr.ven.VenConfig;
import io.flexrig.openadr.ven.VtnException;
import io.flexrig.proto.v1.GridServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's OpenADR 3 VEN, running inside the controller process: it polls the VTN (and
 * takes webhook notifications where configured), turns events into curtailment events through the
 * controller's own GridService, and reports measured results back.
 *
 * <p>A VTN that cannot be reached at start does not stop the controller: the link retries with
 * backoff (up to a minute apart) until the VTN answers or the link is closed.
 */
public final class OpenAdrLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpenAdrLink.class);
  private static final Duration MAX_RETRY = Duration.ofMinutes(1);

  private final InternalGridDoor door;
  private final OpenAdrBridge bridge;
  private final VenClient ven;
  private final Thread starter;

  private OpenAdrLink(InternalGridDoor door, OpenAdrBridge bridge, VenClient ven) {
    this.door = door;
    this.bridge = bridge;
    this.ven = ven;
    this.starter = Thread.ofVirtual().name("openadr-start").unstarted(this::startWithRetry);
  }

  /** Connects the VEN to the VTN in the background and starts turning events into dispatches. */
  public static OpenAdrLink start(
      FleetController controller, OpenAdrSettings settings, Clock clock) {
    InternalGridDoor door = controller.internalGridDoor("openadr-ven:" + settings.venName());
    AtomicReference<VenClient> venRef = new AtomicReference<>();
    OpenAdrBridge bridge =
        new OpenAdrBridge(
            settings.siteId(),
            GridServiceGrpc.newBlockingStub(door.channel()),
            settings.responseTime(),
            clock,
            (eventId, intervals) -> venRef.get().postUsageReport(eventId, intervals),
            controller.vtnPrices().orElse(null));
    VenClient ven =
        new VenClient(
            VenConfig.of(
                    settings.vtnUrl(),
                    settings.clientId(),
                    settings.clientSecret(),
                    settings.venName(),
                    settings.programName(),
                    settings.simpleLevels())
                .withPollInterval(settings.pollInterval()),
            bridge,
            clock);
    venRef.set(ven);
    OpenAdrLink link = new OpenAdrLink(door, bridge, ven);
    link.starter.start();
    return link;
  }

  private void startWithRetry() {
    Duration wait = Duration.ofSeconds(1);
    while (!Thread.currentThread().isInterrupted()) {
      try {
        ven.start();
        log.info("OpenADR VEN registered with the VTN; polling for events");
        return;
      } catch (VtnException e) {
        log.warn(
            "OpenADR VTN not reachable ({}); retrying in {} s", e.getMessage(), wait.toSeconds());
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
      wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
    }
  }

  /** The VEN, for status pages and tests. */
  public VenClient ven() {
    return ven;
  }

  @Override
  public void close() {
    starter.interrupt();
    ven.close();
    bridge.close();
    door.close();
  }
}
