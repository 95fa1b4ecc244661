package io.flexrig.agent.workload;

import java.util.List;

/**
 * One workload process the agent keeps running (or stopped): a child process it supervises itself
 * ({@link WorkloadSupervisor}) or a systemd unit ({@link SystemdWorkload}).
 */
public interface Workload extends AutoCloseable {

  /** Where the workload is. */
  enum State {
    STOPPED,
    RUNNING,
    /** Exited on its own; waiting for the backoff before the next start. */
    BACKOFF,
    STOPPING
  }

  /** Starts it (no-op when it is already wanted running). */
  void start() throws java.io.IOException;

  /** Stops it and keeps it stopped; returns once it has ended. */
  void stop() throws java.io.IOException, InterruptedException;

  State state();

  /** How many times it was restarted after exiting on its own. */
  int restarts();

  /** The last lines it printed, oldest first. */
  List<String> recentLog();

  @Override
  void close();
}
