/**
 * The {@code /metrics} endpoint the agent and the controller share: where to listen ({@link
 * io.flexrig.metricshttp.MetricsSettings}) and the small HTTP server that serves one Prometheus
 * collector ({@link io.flexrig.metricshttp.MetricsEndpoint}). What is measured stays in each
 * service's own metrics package.
 */
package io.flexrig.metricshttp;
