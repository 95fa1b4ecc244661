package io.flexrig.core.economics;

import java.time.Instant;

/**
 * One decision of {@link WorkloadChoice}.
 *
 * @param at when it was taken
 * @param workload what the site should run
 * @param expectedMarginUsdPerHour margin of that workload at the inputs of this decision
 * @param switched whether this decision changes the workload
 * @param margins every option's margin, for the operator's view
 * @param reason why the choice was kept or changed
 */
public record WorkloadDecision(
    Instant at,
    Workload workload,
    double expectedMarginUsdPerHour,
    boolean switched,
    WorkloadMargins margins,
    String reason) {}
