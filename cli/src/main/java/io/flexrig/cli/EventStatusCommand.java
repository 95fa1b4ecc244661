package io.flexrig.cli;

import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetEventStatusRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexrigctl event status ID}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "How one event is going: baseline, target, measured load, deadline met.",
    footerHeading = "%nExample:%n",
    footer = "  flexrigctl event status 6f1c2b9e-...")
final class EventStatusCommand implements Callable<Integer> {

  @Parameters(paramLabel = "EVENT_ID", description = "The event id.")
  private String eventId;

  @Spec private CommandSpec spec;
  private final FlexrigCtl root;

  EventStatusCommand(FlexrigCtl root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    EventStatus status;
    try (GridConnection c = root.connect(spec)) {
      status =
          c.grid().getEventStatus(GetEventStatusRequest.newBuilder().setEventId(eventId).build());
    }
    if (root.json()) {
      root.printJson(status);
    } else {
      root.out().print(root.format().eventStatus(status));
      root.out().flush();
    }
    return ExitCodes.OK;
  }
}
