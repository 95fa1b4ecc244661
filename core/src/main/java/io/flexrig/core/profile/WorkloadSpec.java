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
 */
public record WorkloadSpec(String name, WorkloadKind kind, String api, List<String> command) {

  public WorkloadSpec {
    command = List.copyOf(command);
  }
}
