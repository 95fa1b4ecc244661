/**
 * The controller's Prometheus {@code /metrics} endpoint: one collector that reads the fleet, the
 * curtailment events and the queues at scrape time (nothing is recorded per sample but one
 * counter), served by the Prometheus Java client on the JDK's own HTTP server.
 */
package io.flexrig.controller.metrics;
