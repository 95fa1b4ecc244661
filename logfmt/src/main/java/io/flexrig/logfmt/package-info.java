/**
 * The agent's and the controller's SLF4J provider: one line per event in logfmt ({@code key=value}
 * fields), written to stderr. Under systemd's journal ({@code JOURNAL_STREAM} set) each line starts
 * with its syslog priority ({@code <6>}) and carries no timestamp, since journald adds both; the
 * java.util.logging records of gRPC are routed through the same format.
 */
package io.flexrig.logfmt;
