package io.flexrig.cli;

import com.google.protobuf.Timestamp;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.SetpointKind;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flexrigctl event create ...}: ask a site to shed load. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Create a curtailment event. The controller validates it and answers with the event or"
            + " the reason it was rejected (exit code 3). Safe to retry with the same"
            + " --request-id.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  # shed 500 kW in 10 minutes, starting in 5 minutes, for an hour",
      "  flexrigctl event create --site site-1 --reduce-by-kw 500 \\",
      "      --start-in 5m --response 10m --duration 1h --program ERCOT-ERS",
      "  # keep the site at or below 2 MW from 14:00 to 16:00 UTC",
      "  flexrigctl event create --site site-1 --cap-kw 2000 \\",
      "      --start 2026-11-25T14:00:00Z --end 2026-11-25T16:00:00Z \\",
      "      --response 10m --request-id dispatch-4711",
      "  # follow a dispatch schedule: 2 MW for 15 minutes, then 1.5 MW",
      "  flexrigctl event create --site site-1 --cap-schedule '+0=2000,+15m=1500' \\",
      "      --response 10m --duration 30m"
    })
final class EventCreateCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, paramLabel = "SITE", description = "The site id.")
  private String site;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Target (one of):%n")
  private Target target;

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Start (default: now):%n")
  private Start start;

  @Option(
      names = "--response",
      required = true,
      paramLabel = "DURATION",
      converter = FlexrigCtl.DurationConverter.class,
      description = "Time from start until the target must be met, e.g. 10m.")
  private Duration response;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "End (one of):%n")
  private End end;

  @Option(
      names = "--program",
      paramLabel = "TEXT",
      description = "Program name or the grid operator's dispatch reference.")
  private String program = "";

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description =
          "Idempotency key; a repeated id returns the event already created"
              + " (default: a new UUID).")
  private String requestId;

  @Spec private CommandSpec spec;
  private final FlexrigCtl root;

  EventCreateCommand(FlexrigCtl root) {
    this.root = root;
  }

  static final class Target {
    @Option(
        names = "--reduce-by-kw",
        required = true,
        paramLabel = "KW",
        description = "Reduce the site's load by KW below its load at the start.")
    Double reduceByKw;

    @Option(
        names = "--cap-kw",
        required = true,
        paramLabel = "KW",
        description = "Keep the site's load at or below KW.")
    Double capKw;

    @Option(
        names = "--cap-schedule",
        required = true,
        paramLabel = "WHEN=KW,...",
        description =
            "Caps step by step; WHEN is an ISO-8601 instant or +DURATION after the start,"
                + " e.g. +0=2000,+15m=1500.")
    String capSchedule;

    @Option(
        names = "--reduce-schedule",
        required = true,
        paramLabel = "WHEN=KW,...",
        description = "Reductions below the baseline step by step, as --cap-schedule.")
    String reduceSchedule;
  }

  static final class Start {
    @Option(
        names = "--start",
        required = true,
        paramLabel = "INSTANT",
        converter = InstantConverter.class,
        description = "Start time, ISO-8601, e.g. 2026-11-25T14:00:00Z.")
    Instant at;

    @Option(
        names = "--start-in",
        required = true,
        paramLabel = "DURATION",
        converter = FlexrigCtl.DurationConverter.class,
        description = "Start this long from now, e.g. 5m.")
    Duration in;
  }

  static final class End {
    @Option(
        names = "--duration",
        required = true,
        paramLabel = "DURATION",
        converter = FlexrigCtl.DurationConverter.class,
        description = "How long the event lasts after its start, e.g. 1h.")
    Duration duration;

    @Option(
        names = "--end",
        required = true,
        paramLabel = "INSTANT",
        converter = InstantConverter.class,
        description = "End time, ISO-8601.")
    Instant at;
  }

  /** Parses ISO-8601 instants with {@code Z} or an offset. */
  static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value.strip());
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not an ISO-8601 instant, e.g. 2026-11-25T14:00:00Z");
      }
    }
  }

  /** The request these options describe, times taken relative to {@code now}. */
  CreateCurtailmentEventRequest request(Instant now) {
    var b =
        CreateCurtailmentEventRequest.newBuilder()
            .setSiteId(site)
            .setRequestId(requestId != null ? requestId : UUID.randomUUID().toString())
            .setResponseTimeS(response.toNanos() / 1e9)
            .setProgram(program);
    // Unset start means "now" on the controller's clock, which is safer than ours.
    Instant startAt = null;
    if (start != null) {
      startAt = start.at != null ? start.at : now.plus(start.in);
      b.setStartAt(timestamp(startAt));
    }
    if (target.reduceByKw != null) {
      b.setReduceByKw(target.reduceByKw);
    } else if (target.capKw != null) {
      b.setCapSiteKw(target.capKw);
    } else {
      boolean cap = target.capSchedule != null;
      try {
        // A schedule needs its steps' instants: "+0" is the start, now when none is given.
        b.setSetpointSchedule(
            ScheduleSpec.parse(
                cap ? target.capSchedule : target.reduceSchedule,
                cap ? SetpointKind.SETPOINT_KIND_CAP : SetpointKind.SETPOINT_KIND_REDUCE,
                startAt != null ? startAt : now));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            (cap ? "--cap-schedule: " : "--reduce-schedule: ") + e.getMessage());
      }
      if (startAt == null) {
        // The steps are pinned to our clock's now; the event must start with them.
        b.setStartAt(timestamp(now));
      }
    }
    Instant endAt = end.at != null ? end.at : (startAt != null ? startAt : now).plus(end.duration);
    b.setEndAt(timestamp(endAt));
    return b.build();
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  @Override
  public Integer call() {
    if (requestId != null && requestId.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--request-id is empty");
    }
    CreateCurtailmentEventRequest request = request(root.clock().instant());
    CurtailmentEvent event;
    try (GridConnection c = root.connect(spec)) {
      event = c.grid().createCurtailmentEvent(request);
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
