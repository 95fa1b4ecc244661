package io.flexrig.agent.source.gpu;

import java.io.IOException;

/** nvidia-smi failed, timed out, or printed something that is not the queried CSV. */
public final class NvidiaSmiException extends IOException {
  private static final long serialVersionUID = 1L;

  public NvidiaSmiException(String message) {
    super(message);
  }
}
