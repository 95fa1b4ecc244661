package io.flexrig.controller;

import java.time.Duration;
import java.util.List;

/**
 * How the controller leaves its agents when it stops (SIGTERM, {@link FleetController#close()}).
 *
 * <p>It stops accepting new sessions, sends every agent a {@code Reconnect} naming {@code
 * alternates} (empty: the agents come back to their configured controller) with {@code
 * reconnectDelay} plus up to {@code reconnectJitter} of random wait, waits up to {@code drain} for
 * the agents to leave (each leaves once the controller acknowledged every sample it sent), ends the
 * sessions still open, then flushes the store.
 *
 * @param drain longest wait for agents to leave; zero ends every session at once (no goodbye)
 * @param reconnectDelay the least wait the agents are asked for before reconnecting
 * @param reconnectJitter the random extra wait, spreading a site's reconnects
 * @param alternates {@code host:port} of other controllers, in order of preference
 */
public record GracefulShutdown(
    Duration drain, Duration reconnectDelay, Duration reconnectJitter, List<String> alternates) {

  /** 10 s to drain; agents come back after 1 to 6 s, to their configured controller. */
  public static final GracefulShutdown DEFAULT =
      new GracefulShutdown(
          Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), List.of());

  public GracefulShutdown {
    requireWithin("drain", drain, Duration.ofMinutes(10));
    requireWithin("reconnectDelay", reconnectDelay, Duration.ofHours(1));
    requireWithin("reconnectJitter", reconnectJitter, Duration.ofHours(1));
    alternates = alternates == null ? List.of() : List.copyOf(alternates);
    for (String a : alternates) {
      if (!a.matches("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}")) {
        throw new IllegalArgumentException(
            "alternate controller must be host:port, got '" + a + "'");
      }
    }
  }

  private static void requireWithin(String name, Duration d, Duration max) {
    if (d == null || d.isNegative() || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be in 0.." + max + ", got " + d);
    }
  }

  /** The same with another drain time. */
  public GracefulShutdown withDrain(Duration d) {
    return new GracefulShutdown(d, reconnectDelay, reconnectJitter, alternates);
  }

  /** The same with another reconnect delay and jitter. */
  public GracefulShutdown withReconnect(Duration delay, Duration jitter) {
    return new GracefulShutdown(drain, delay, jitter, alternates);
  }

  /** The same, sending agents to these controllers. */
  public GracefulShutdown withAlternates(List<String> endpoints) {
    return new GracefulShutdown(drain, reconnectDelay, reconnectJitter, endpoints);
  }
}
