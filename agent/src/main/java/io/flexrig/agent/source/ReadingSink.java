package io.flexrig.agent.source;

/** Where streaming sources deliver readings; implementations must be thread-safe and not block. */
@FunctionalInterface
public interface ReadingSink {
  void accept(Reading reading);
}
