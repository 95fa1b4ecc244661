package io.flexrig.agent.source.cgminer;

import java.io.IOException;

/** A miner's reply that cannot be understood, even allowing for known firmware defects. */
public class CgminerProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  public CgminerProtocolException(String message) {
    super(message);
  }
}
