package io.flexrig.controller.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit log: who did what to which subject, when, and how it ended.
 *
 * @param at when it happened (controller clock)
 * @param actor the authenticated caller: a certificate's CN, {@code token:<name>}, {@code
 *     controller} for the dispatcher, or {@code dev-plaintext} when security is off
 * @param role the caller's role ({@code grid-operator}, {@code monitor}, {@code agent}, ...)
 * @param action what was asked, e.g. {@code CreateCurtailmentEvent}, {@code command SLEEP}
 * @param subject what it was about: event id, request id, command id and rig
 * @param result {@code OK}, a gRPC status code name, {@code ISSUED}, {@code ACCEPTED}, ...
 * @param detail the reason or the parameters, for a person reading the log
 */
public record AuditEntry(
    Instant at,
    String actor,
    String role,
    String action,
    String subject,
    String result,
    String detail) {

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    actor = Objects.requireNonNullElse(actor, "");
    role = Objects.requireNonNullElse(role, "");
    action = Objects.requireNonNull(action, "action");
    subject = Objects.requireNonNullElse(subject, "");
    result = Objects.requireNonNull(result, "result");
    detail = Objects.requireNonNullElse(detail, "");
  }
}
