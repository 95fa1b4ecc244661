package io.flexrig.agent.source;

/** A sensor address that cannot be parsed; the message names the address and what is wrong. */
public final class InvalidAddressException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidAddressException(String address, String problem) {
    super("invalid sensor address '" + address + "': " + problem);
  }
}
