package io.flexrig.agent.source;

/** A source that pushes values by itself (an OPC UA subscription, a GPIO edge). */
public non-sealed interface StreamingSource extends Source {

  /** Starts delivering readings to the sink; must not block for long. */
  void start(ReadingSink sink);
}
