package io.flexrig.cli;

import io.flexrig.proto.v1.GetSiteStatusRequest;
import io.flexrig.proto.v1.SiteStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flexrigctl site status --site S}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Measured power, rigs connected and curtailed, and the active event of a site.",
    footerHeading = "%nExample:%n",
    footer = "  flexrigctl site status --site site-1")
final class SiteStatusCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, paramLabel = "SITE", description = "The site id.")
  private String site;

  @Spec private CommandSpec spec;
  private final FlexrigCtl root;

  SiteStatusCommand(FlexrigCtl root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    SiteStatus status;
    try (GridConnection c = root.connect(spec)) {
      status = c.grid().getSiteStatus(GetSiteStatusRequest.newBuilder().setSiteId(site).build());
    }
    if (root.json()) {
      root.printJson(status);
    } else {
      root.out().print(root.format().siteStatus(status));
      root.out().flush();
    }
    return ExitCodes.OK;
  }
}
