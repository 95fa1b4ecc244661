package io.flexrig.core.profile;

/**
 * Two thresholds for one temperature: above {@code derateC} the agent lowers power, at {@code
 * criticalC} it cuts the workload. {@code derateC < criticalC}.
 */
public record TemperatureLimit(double derateC, double criticalC) {}
