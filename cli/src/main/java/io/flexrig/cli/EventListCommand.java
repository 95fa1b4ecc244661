package io.flexrig.cli;

import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.flexrig.proto.v1.ListCurtailmentEventsResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flexrigctl event list --site S [--limit N]}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "The events of a site, newest first.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  flexrigctl event list --site site-1 --limit 10",
      "  flexrigctl event list --site site-1 --json | jq -r '.events[].eventId'"
    })
final class EventListCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, paramLabel = "SITE", description = "The site id.")
  private String site;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N events (controller default 100, at most 1000).")
  private int limit;

  @Spec private CommandSpec spec;
  private final FlexrigCtl root;

  EventListCommand(FlexrigCtl root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    ListCurtailmentEventsResponse list;
    try (GridConnection c = root.connect(spec)) {
      list =
          c.grid()
              .listCurtailmentEvents(
                  ListCurtailmentEventsRequest.newBuilder()
                      .setSiteId(site)
                      .setLimit(limit)
                      .build());
    }
    if (root.json()) {
      root.printJson(list);
    } else {
      root.out().print(root.format().eventList(list.getEventsList()));
      root.out().flush();
    }
    return ExitCodes.OK;
  }
}
