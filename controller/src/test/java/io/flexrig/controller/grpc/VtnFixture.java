package io.flexrig.controller.grpc;

import static org.awaitility.Awaitility.await;

import io.flexrig.controller.FleetController;
import io.flexrig.controller.openadr.OpenAdrLink;
import io.flexrig.controller.openadr.OpenAdrSettings;
import io.flexrig.openadr.SimpleLevels;
import io.flexrig.openadr.model.Program;
import io.flexrig.openadr.vtn.VtnStandIn;
import java.time.Clock;
import java.time.Duration;

/**
 * An OpenADR 3 VTN stand-in with one VEN client and one program, and the controller's own VEN
 * ({@link OpenAdrLink}) wired to it as ControllerMain wires it: SIMPLE levels 1/2/3 kW, a 3 s
 * timeout, polled every 200 ms. Close it before the controller.
 */
final class VtnFixture implements AutoCloseable {

  private static final String SECRET = "s3cret";

  private final VtnStandIn vtn;
  private final String clientId;
  private final String program;
  private OpenAdrLink link;

  private VtnFixture(VtnStandIn vtn, String clientId, String program) {
    this.vtn = vtn;
    this.clientId = clientId;
    this.program = program;
  }

  /** A running VTN that knows the VEN client {@code clientId} and the program {@code program}. */
  static VtnFixture start(String clientId, String program) {
    VtnStandIn vtn = VtnStandIn.start();
    try {
      vtn.addClient(clientId, SECRET, VtnStandIn.Role.VEN);
      vtn.createProgram(Program.request(program, null));
    } catch (RuntimeException e) {
      vtn.close();
      throw e;
    }
    return new VtnFixture(vtn, clientId, program);
  }

  /** The stand-in, to create, update and read events and reports as the grid operator. */
  VtnStandIn vtn() {
    return vtn;
  }

  /**
   * Starts the controller's VEN for {@code site} under {@code venName} and waits until it has
   * registered with the VTN and read the program.
   */
  OpenAdrLink link(FleetController controller, String venName, String site) {
    link =
        OpenAdrLink.start(
            controller,
            new OpenAdrSettings(
                vtn.baseUrl(),
                clientId,
                SECRET,
                venName,
                program,
                site,
                new SimpleLevels(1, 2, 3),
                Duration.ofSeconds(3),
                Duration.ofMillis(200)),
            Clock.systemUTC());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> vtn.vens().size() == 1 && !link.ven().programs().isEmpty());
    return link;
  }

  /** The VTN's id of the program, as the linked VEN read it. */
  String programId() {
    if (link == null) {
      throw new IllegalStateException("no VEN linked yet: call link(...) first");
    }
    return link.ven().programs().getFirst().id();
  }

  @Override
  public void close() {
    if (link != null) {
      link.close();
    }
    vtn.close();
  }
}
