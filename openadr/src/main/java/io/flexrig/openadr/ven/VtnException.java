package io.flexrig.openadr.ven;

import io.flexrig.openadr.model.Problem;

/**
 * A VTN answered with an unexpected status, or could not be reached ({@code status} 0). Carries the
 * VTN's problem detail when it sent one.
 */
public final class VtnException extends RuntimeException {
  private final int status;
  private final Problem problem;

  public VtnException(String request, int status, Problem problem, Throwable cause) {
    super(message(request, status, problem, cause), cause);
    this.status = status;
    this.problem = problem;
  }

  /** The HTTP status, or 0 when no answer arrived (timeout, connection refused). */
  public int status() {
    return status;
  }

  /** The VTN's problem body, or null when it sent none. */
  public Problem problem() {
    return problem;
  }

  private static String message(String request, int status, Problem problem, Throwable cause) {
    if (status == 0) {
      return request + " failed: " + (cause == null ? "no answer" : cause.toString());
    }
    String detail = problem == null ? "" : ": " + problem.title() + " - " + problem.detail();
    return request + " -> HTTP " + status + detail;
  }
}
