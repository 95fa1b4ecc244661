package io.flexrig.openadr.model;

/** The error body of every non-2xx answer (the Zalando problem schema the spec reuses). */
public record Problem(String type, String title, Integer status, String detail, String instance) {
  public static Problem of(int status, String title, String detail) {
    return new Problem("about:blank", title, status, detail, null);
  }
}
