package io.flexrig.controller.store;

import java.util.concurrent.CompletableFuture;

/** Where audit entries go (the store; tests may collect them). */
@FunctionalInterface
public interface AuditLog {

  /** Appends an entry; completes once it is durable. */
  CompletableFuture<Void> record(AuditEntry entry);
}
