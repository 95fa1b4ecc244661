package io.flexrig.agent.control;

/**
 * Where accepted commands are recorded before they are acknowledged, so a restarted agent can
 * resume holding them. The durable (disk) journal comes later; {@link #NONE} keeps nothing.
 */
public interface CommandJournal {

  /** Called before the ack of an accepted command is returned. */
  void accepted(CurtailmentCommand command, CommandAck ack);

  /** Called when a command's result is known. */
  void finished(CommandResult result);

  CommandJournal NONE =
      new CommandJournal() {
        @Override
        public void accepted(CurtailmentCommand command, CommandAck ack) {}

        @Override
        public void finished(CommandResult result) {}
      };
}
