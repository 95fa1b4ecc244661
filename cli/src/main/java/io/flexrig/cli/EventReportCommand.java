package io.flexrig.cli;

import io.flexrig.proto.v1.ComplianceReport;
import io.flexrig.proto.v1.GetComplianceReportRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexrigctl event report ID [--csv FILE] [--svg FILE]}. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "The compliance report of an event: baselines (pre-event average, middle 8 of the last 10"
            + " like days), measured load and delta per 15-minute interval, deadline and target"
            + " met, each rig's contribution. Final once the event has ended.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  flexrigctl event report 6f1c2b9e-...",
      "  flexrigctl event report 6f1c2b9e-... --csv event.csv --svg event.svg",
      "  flexrigctl event report 6f1c2b9e-... --json"
    })
final class EventReportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "EVENT_ID", description = "The event id.")
  private String eventId;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write the report as CSV to FILE.")
  private Path csv;

  @Option(
      names = "--svg",
      paramLabel = "FILE",
      description = "Write a chart of site power vs baselines and target to FILE (SVG).")
  private Path svg;

  @Spec private CommandSpec spec;
  private final FlexrigCtl root;

  EventReportCommand(FlexrigCtl root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    ComplianceReport report;
    try (GridConnection c = root.connect(spec)) {
      report =
          c.grid()
              .getComplianceReport(
                  GetComplianceReportRequest.newBuilder()
                      .setEventId(eventId)
                      .setIncludeCsv(csv != null)
                      .setIncludeSvg(svg != null)
                      .build());
    }
    write(csv, report.getCsv());
    write(svg, report.getSvg());
    // The files hold the renderings; the printed report stays readable.
    ComplianceReport printed = report.toBuilder().clearCsv().clearSvg().build();
    if (root.json()) {
      root.printJson(printed);
    } else {
      root.out().print(root.format().complianceReport(printed));
      root.out().flush();
    }
    return ExitCodes.OK;
  }

  private static void write(Path file, String content) {
    if (file == null) {
      return;
    }
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LocalFailure("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
