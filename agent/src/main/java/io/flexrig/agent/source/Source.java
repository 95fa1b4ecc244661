package io.flexrig.agent.source;

/** A source of readings on the rig: either polled by the sampler or streaming by itself. */
public sealed interface Source extends AutoCloseable permits PolledSource, StreamingSource {

  /** The sensor role this source serves, e.g. {@code miner_api} or {@code outlet_power}. */
  String name();

  /** Releases connections and devices; never throws. */
  @Override
  void close();
}
