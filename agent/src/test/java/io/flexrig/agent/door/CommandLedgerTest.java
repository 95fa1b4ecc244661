package io.flexrig.agent.door;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.MutableClock;
import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.CommandOutcome;
import io.flexrig.proto.v1.CommandResult;
import io.flexrig.proto.v1.Release;
import io.flexrig.proto.v1.SetPowerTarget;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommandLedgerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final CommandLedger ledger = new CommandLedger(clock);

  private Command target(String id, Duration expiresIn) {
    return Command.newBuilder()
        .setCommandId(id)
        .setExpiresAt(FleetMessages.timestamp(clock.instant().plus(expiresIn)))
        .setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(2000))
        .build();
  }

  private static CommandAck accepted(String id) {
    return CommandAck.newBuilder().setCommandId(id).setAccepted(true).build();
  }

  @Test
  void aHeldCurtailmentStaysActiveWithItsResultUntilItExpires() {
    ledger.acknowledged(
        target("a", Duration.ofMinutes(10)), accepted("a"), CommandLedger.AGENT_API);
    ledger.finished(
        CommandResult.newBuilder()
            .setCommandId("a")
            .setOutcome(CommandOutcome.COMMAND_OUTCOME_ACHIEVED)
            .build());

    assertThat(ledger.list().getActiveList())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.getResult().getOutcome())
                    .isEqualTo(CommandOutcome.COMMAND_OUTCOME_ACHIEVED));

    clock.advance(Duration.ofMinutes(11));
    assertThat(ledger.list().getActiveList()).isEmpty();
    assertThat(ledger.list().getRecentList()).hasSize(1);
  }

  @Test
  void aLaterCommandReplacesTheOneInForceAndAFinishedReleaseLeavesNone() {
    ledger.acknowledged(
        target("a", Duration.ofMinutes(10)), accepted("a"), CommandLedger.CONTROLLER);
    Command release =
        Command.newBuilder()
            .setCommandId("r")
            .setExpiresAt(FleetMessages.timestamp(clock.instant().plusSeconds(60)))
            .setRelease(Release.getDefaultInstance())
            .build();
    ledger.acknowledged(release, accepted("r"), CommandLedger.AGENT_API);
    assertThat(ledger.list().getActive(0).getCommand().getCommandId()).isEqualTo("r");

    ledger.finished(
        CommandResult.newBuilder()
            .setCommandId("r")
            .setOutcome(CommandOutcome.COMMAND_OUTCOME_ACHIEVED)
            .build());
    assertThat(ledger.list().getActiveList()).isEmpty();
    assertThat(ledger.list().getRecentList())
        .extracting(s -> s.getCommand().getCommandId())
        .containsExactly("r", "a");
  }

  @Test
  void rejectedAndRepeatedCommandsAreNotRecordedAndRecentIsBounded() {
    ledger.acknowledged(
        target("x", Duration.ofMinutes(1)),
        CommandAck.newBuilder().setCommandId("x").setAccepted(false).build(),
        CommandLedger.AGENT_API);
    assertThat(ledger.list().getRecentList()).isEmpty();

    for (int i = 0; i < CommandLedger.RECENT + 5; i++) {
      ledger.acknowledged(target("c" + i, Duration.ofMinutes(1)), accepted("c" + i), "agent-api");
      ledger.acknowledged(target("c" + i, Duration.ofMinutes(1)), accepted("c" + i), "agent-api");
    }
    assertThat(ledger.list().getRecentList()).hasSize(CommandLedger.RECENT);
    assertThat(ledger.list().getRecent(0).getCommand().getCommandId())
        .isEqualTo("c" + (CommandLedger.RECENT + 4));
  }
}
