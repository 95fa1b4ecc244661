/**
 * The agent's Prometheus {@code /metrics} endpoint: one collector that reads the rig's latest
 * snapshot and the agent's counters at scrape time (nothing is recorded per sample), served by the
 * Prometheus Java client on the JDK's own HTTP server. Off unless {@code metrics_port} is set.
 */
package io.flexrig.agent.metrics;
