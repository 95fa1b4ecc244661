package io.flexrig.cli;

import io.flexrig.proto.v1.GetPriceStatusRequest;
import io.flexrig.proto.v1.PriceDispatchStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flexrigctl price status [--site S]}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "The power price in force and its source, the strike prices of the connected rig models,"
            + " and the rigs price-driven dispatch holds curtailed.",
    footerHeading = "%nExamples:%n",
    footer = {"  flexrigctl price status", "  flexrigctl price status --site site-1 --json"})
final class PriceStatusCommand implements Callable<Integer> {

  @Option(
      names = "--site",
      paramLabel = "SITE",
      description = "Only this site's curtailed rigs (default: every site).")
  private String site;

  @Spec private CommandSpec spec;
  private final FlexrigCtl root;

  PriceStatusCommand(FlexrigCtl root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    PriceDispatchStatus status;
    try (GridConnection c = root.connect(spec)) {
      status =
          c.grid()
              .getPriceStatus(
                  GetPriceStatusRequest.newBuilder().setSiteId(site == null ? "" : site).build());
    }
    if (root.json()) {
      root.printJson(status);
    } else {
      root.out().print(root.format().priceStatus(status));
      root.out().flush();
    }
    return ExitCodes.OK;
  }
}
