package io.flexrig.agent.control;

import java.io.IOException;
import java.util.List;

/**
 * Where accepted commands are recorded before they are acknowledged, so a restarted agent resumes
 * holding them. {@link #NONE} keeps nothing (tests, rigs configured without a state directory).
 */
public interface CommandJournal {

  /**
   * Records an accepted command durably; called before its ack is returned.
   *
   * @throws IOException when it could not be made durable: the executor then rejects the command
   */
  void accepted(CurtailmentCommand command, CommandAck ack) throws IOException;

  /** Called when a command's result is known. */
  void finished(CommandResult result);

  /**
   * The commands still in force when the journal was opened, oldest first: a restarted executor
   * resumes the last one and remembers the acks of all (commands are idempotent by id).
   */
  default List<Entry> live() {
    return List.of();
  }

  /**
   * Records the frequency response's arming durably; called before the arming command's ack.
   *
   * @throws IOException when it could not be made durable: the executor then rejects the command
   */
  default void armed(boolean armed, String program) throws IOException {}

  /** The arming last recorded when the journal was opened, or null when none ever was. */
  default Arming arming() {
    return null;
  }

  /** The frequency response's arming as last commanded. */
  record Arming(boolean armed, String program) {}

  /**
   * One journaled command.
   *
   * @param finished its result was already reported (it is held, not re-verified)
   * @param superseded a later command replaced it; kept only to answer a repeated id
   */
  record Entry(CurtailmentCommand command, CommandAck ack, boolean finished, boolean superseded) {}

  CommandJournal NONE =
      new CommandJournal() {
        @Override
        public void accepted(CurtailmentCommand command, CommandAck ack) {}

        @Override
        public void finished(CommandResult result) {}
      };
}
