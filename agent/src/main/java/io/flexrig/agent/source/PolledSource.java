package io.flexrig.agent.source;

import java.io.IOException;
import java.util.List;

/**
 * A source the sampler asks for values on its schedule (a miner API, an I2C power monitor).
 * Individual readings carry their own quality; an exception means the whole source failed (lost
 * connection, bus error), and the sampler then degrades every reading it had from it.
 */
public non-sealed interface PolledSource extends Source {

  /** Reads the source once. Called from one sampler thread at a time. */
  List<Reading> sample() throws IOException;
}
