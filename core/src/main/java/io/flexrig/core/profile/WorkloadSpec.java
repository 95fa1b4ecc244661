package io.flexrig.core.profile;

import java.util.List;

/**
 * A workload the rig can run.
 *
 * @param name unique within the profile, e.g. {@code mining}, {@code llm-inference}
 * @param kind mining or AI
 * @param api how the agent talks to it, e.g. {@code cgminer://127.0.0.1:4028} or {@code
 *     http://127.0.0.1:8000/health}
 * @param command the process to supervise (empty when the firmware runs it itself)
 * @param drainS how long a switch away from this workload waits for the requests in flight to
 *     finish, in seconds (AI inference; 0 for mining, which has nothing to drain)
 * @param minRunS once switched to, the workload runs at least this long before the rig may switch
 *     away again, in seconds: the hold that keeps a rig from flapping between workloads
 */
public record WorkloadSpec(
    String name,
    WorkloadKind kind,
    String api,
    List<String> command,
    double drainS,
    double minRunS) {

  /** Drain when the profile does not say: 30 s for AI inference, none for mining. */
  public static final double DEFAULT_AI_DRAIN_S = 30;

  /** Hold when the profile does not say: 5 minutes. */
  public static final double DEFAULT_MIN_RUN_S = 300;

  public WorkloadSpec {
    command = List.copyOf(command);
  }

  /** A workload with the default drain and hold. */
  public WorkloadSpec(String name, WorkloadKind kind, String api, List<String> command) {
    this(
        name,
        kind,
        api,
        command,
        kind == WorkloadKind.AI_INFERENCE ? DEFAULT_AI_DRAIN_S : 0,
        DEFAULT_MIN_RUN_S);
  }
}
