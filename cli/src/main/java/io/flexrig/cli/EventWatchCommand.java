package io.flexrig.cli;

import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.WatchEventRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flexrigctl event watch ID}: one line per status until the event ends. Ctrl-C cancels the
 * stream (the controller sees the cancel) and exits quietly.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "Stream an event's status, once now, on every change and every second while active,"
            + " until the event ends. Ctrl-C stops watching (the event goes on).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  flexrigctl event watch 6f1c2b9e-...",
      "  flexrigctl event watch 6f1c2b9e-... --json | jq -c '{measuredKw,targetMet}'"
    })
final class EventWatchCommand implements Callable<Integer> {

  /** How long past the event's end a watch may run before its deadline cuts it. */
  static final Duration GRACE = Duration.ofMinutes(2);

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

  @Parameters(paramLabel = "EVENT_ID", description = "The event id.")
  private String eventId;

  @Spec private CommandSpec spec;
  private final FlexrigCtl root;

  EventWatchCommand(FlexrigCtl root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    PrintWriter out = root.out();
    try (GridConnection c = root.connect(spec)) {
      // Asked first so an unknown event fails fast and the stream's deadline follows the event.
      EventStatus first =
          c.grid().getEventStatus(GetEventStatusRequest.newBuilder().setEventId(eventId).build());
      Instant until = root.clock().instant().plus(streamDeadline(first, root.clock().instant()));
      if (!root.json()) {
        out.print(HumanFormat.watchHeader());
        out.flush();
      }
      Context.CancellableContext context = Context.current().withCancellation();
      CountDownLatch finished = new CountDownLatch(1);
      Thread onInterrupt =
          new Thread(
              () -> {
                context.cancel(null);
                try {
                  finished.await(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "flexrigctl-interrupt");
      Runtime.getRuntime().addShutdownHook(onInterrupt);
      try {
        context.run(() -> follow(c, until, out, context));
      } catch (StatusRuntimeException e) {
        if (context.isCancelled()) {
          return ExitCodes.INTERRUPTED;
        }
        throw e;
      } finally {
        context.cancel(null); // a cancellable context must end, also after a normal finish
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it waits for the latch released above
        }
      }
    }
    return ExitCodes.OK;
  }

  /**
   * Streams until the event ends. A lost stream (controller restart, network) is opened again after
   * a backoff, until {@code until}; the operator is told once per outage on stderr.
   */
  private void follow(
      GridConnection c, Instant until, PrintWriter out, Context.CancellableContext context) {
    Duration backoff = FIRST_BACKOFF;
    boolean lost = false;
    while (true) {
      Duration left = Duration.between(root.clock().instant(), until);
      int[] delivered = {0};
      try {
        stream(c, left.isNegative() ? Duration.ZERO : left, out, context, delivered);
        return;
      } catch (StatusRuntimeException e) {
        if (delivered[0] > 0) {
          backoff = FIRST_BACKOFF; // it was back for a while: a new outage
          lost = false;
        }
        boolean retry =
            !context.isCancelled()
                && e.getStatus().getCode() == Status.Code.UNAVAILABLE
                && root.clock().instant().plus(backoff).isBefore(until);
        if (!retry) {
          throw e;
        }
        if (!lost) {
          PrintWriter err = spec.commandLine().getErr();
          err.println(
              "flexrigctl: "
                  + CallFailure.message(e, root.addressText(), "")
                  + "; watching again when it is back");
          err.flush();
          lost = true;
        }
        pause(backoff, context);
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
          backoff = MAX_BACKOFF;
        }
      }
    }
  }

  private void stream(
      GridConnection c,
      Duration limit,
      PrintWriter out,
      Context.CancellableContext context,
      int[] delivered) {
    Iterator<EventStatus> statuses =
        c.within(limit).watchEvent(WatchEventRequest.newBuilder().setEventId(eventId).build());
    while (statuses.hasNext()) {
      EventStatus s = statuses.next();
      delivered[0]++;
      if (root.json()) {
        root.printJson(s);
      } else {
        out.print(HumanFormat.watchLine(s));
        out.flush();
      }
      if (out.checkError()) {
        context.cancel(null); // nobody reads any more (e.g. piped into head)
        return;
      }
    }
  }

  private static void pause(Duration d, Context.CancellableContext context) {
    long end = System.nanoTime() + d.toNanos();
    while (!context.isCancelled() && System.nanoTime() < end) {
      try {
        Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        context.cancel(e);
      }
    }
  }

  /** Until the event's end plus {@link #GRACE}, and at least the grace from now. */
  static Duration streamDeadline(EventStatus status, Instant now) {
    Duration left =
        status.getEvent().hasEndAt()
            ? Duration.between(now, HumanFormat.instant(status.getEvent().getEndAt()))
            : Duration.ZERO;
    return (left.isNegative() ? Duration.ZERO : left).plus(GRACE);
  }
}
