package io.flexrig.cli;

import io.flexrig.proto.v1.CancelCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexrigctl event cancel ID}. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Cancel a scheduled or active event; its rigs are released with their ramps.",
    footerHeading = "%nExample:%n",
    footer = "  flexrigctl event cancel 6f1c2b9e-...")
final class EventCancelCommand implements Callable<Integer> {

  @Parameters(paramLabel = "EVENT_ID", description = "The event id.")
  private String eventId;

  @Spec private CommandSpec spec;
  private final FlexrigCtl root;

  EventCancelCommand(FlexrigCtl root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    CurtailmentEvent event;
    try (GridConnection c = root.connect(spec)) {
      event =
          c.grid()
              .cancelCurtailmentEvent(
                  CancelCurtailmentEventRequest.newBuilder().setEventId(eventId).build());
    }
    if (root.json()) {
      root.printJson(event);
    } else {
      root.out().print(root.format().event(event));
      root.out().flush();
    }
    return ExitCodes.OK;
  }
}
