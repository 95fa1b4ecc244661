package io.flexrig.agent.source.gpu;

/**
 * One GPU's line of {@code nvidia-smi --query-gpu}; a field the driver reports as {@code [N/A]} or
 * {@code [Not Supported]} is NaN.
 *
 * @param index the GPU's index (nvidia-smi's enumeration order, PCI bus order by default)
 * @param name the product name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param powerDrawW board power draw
 * @param powerLimitW the enforced power limit
 * @param temperatureC core temperature
 * @param utilizationPercent percent of time a kernel was running over the last sample period
 * @param smClockMhz current SM clock
 * @param memClockMhz current memory clock
 */
public record GpuStats(
    int index,
    String name,
    double powerDrawW,
    double powerLimitW,
    double temperatureC,
    double utilizationPercent,
    double smClockMhz,
    double memClockMhz) {}
