package io.flexrig.cli;

import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.ModifyCurtailmentEventRequest;
import io.flexrig.proto.v1.SetpointKind;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexrigctl event modify ID ...}: change the target or the end of an event. */
@Command(
    name = "modify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Change the target and/or the end of a scheduled or active event. An active event is"
            + " re-dispatched at once. A finished event cannot change (exit code 3).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  flexrigctl event modify 6f1c2b9e-... --cap-kw 1800 --reason 'revision 2'",
      "  flexrigctl event modify 6f1c2b9e-... --end-in 30m",
      "  flexrigctl event modify 6f1c2b9e-... --cap-schedule '+0=2000,+15m=1500'"
    })
final class EventModifyCommand implements Callable<Integer> {

  @Parameters(paramLabel = "EVENT_ID", description = "The event id.")
  private String eventId;

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "New target (default: keep):%n")
  private Target target;

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "New end (default: keep):%n")
  private End end;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log.")
  private String reason = "";

  @Spec private CommandSpec spec;
  private final FlexrigCtl root;

  EventModifyCommand(FlexrigCtl root) {
    this.root = root;
  }

  static final class Target {
    @Option(
        names = "--reduce-by-kw",
        required = true,
        paramLabel = "KW",
        description = "Reduce by KW below the baseline.")
    Double reduceByKw;

    @Option(
        names = "--cap-kw",
        required = true,
        paramLabel = "KW",
        description = "Keep the site at or below KW.")
    Double capKw;

    @Option(
        names = "--cap-schedule",
        required = true,
        paramLabel = "WHEN=KW,...",
        description = "Caps step by step; WHEN is an instant or +DURATION after the start.")
    String capSchedule;

    @Option(
        names = "--reduce-schedule",
        required = true,
        paramLabel = "WHEN=KW,...",
        description = "Reductions step by step, as --cap-schedule.")
    String reduceSchedule;
  }

  static final class End {
    @Option(
        names = "--end",
        required = true,
        paramLabel = "INSTANT",
        converter = EventCreateCommand.InstantConverter.class,
        description = "New end time, ISO-8601.")
    Instant at;

    @Option(
        names = "--end-in",
        required = true,
        paramLabel = "DURATION",
        converter = FlexrigCtl.DurationConverter.class,
        description = "New end this long from now, e.g. 30m.")
    Duration in;
  }

  @Override
  public Integer call() {
    if (target == null && end == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give a new target, a new end, or both");
    }
    CurtailmentEvent event;
    try (GridConnection c = root.connect(spec)) {
      var b = ModifyCurtailmentEventRequest.newBuilder().setEventId(eventId).setReason(reason);
      if (target != null) {
        if (target.reduceByKw != null) {
          b.setReduceByKw(target.reduceByKw);
        } else if (target.capKw != null) {
          b.setCapSiteKw(target.capKw);
        } else {
          // +DURATION steps count from the event's start: ask the controller for it.
          Instant start =
              HumanFormat.instant(
                  c.grid()
                      .getEventStatus(
                          GetEventStatusRequest.newBuilder().setEventId(eventId).build())
                      .getEvent()
                      .getStartAt());
          boolean cap = target.capSchedule != null;
          try {
            b.setSetpointSchedule(
                ScheduleSpec.parse(
                    cap ? target.capSchedule : target.reduceSchedule,
                    cap ? SetpointKind.SETPOINT_KIND_CAP : SetpointKind.SETPOINT_KIND_REDUCE,
                    start));
          } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                spec.commandLine(),
                (cap ? "--cap-schedule: " : "--reduce-schedule: ") + e.getMessage());
          }
        }
      }
      if (end != null) {
        Instant at = end.at != null ? end.at : root.clock().instant().plus(end.in);
        b.setEndAt(EventCreateCommand.timestamp(at));
      }
      event = c.grid().modifyCurtailmentEvent(b.build());
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
