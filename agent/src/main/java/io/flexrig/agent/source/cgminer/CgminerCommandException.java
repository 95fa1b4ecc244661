package io.flexrig.agent.source.cgminer;

/** The miner understood the command and refused it ({@code STATUS} "E" or "F"). */
public final class CgminerCommandException extends CgminerProtocolException {
  private static final long serialVersionUID = 1L;

  private final String command;
  private final String minerMessage;

  public CgminerCommandException(String command, String status, int code, String minerMessage) {
    super(
        "miner refused '"
            + command
            + "': STATUS "
            + status
            + ", code "
            + code
            + ", "
            + minerMessage);
    this.command = command;
    this.minerMessage = minerMessage;
  }

  public String command() {
    return command;
  }

  public String minerMessage() {
    return minerMessage;
  }
}
