package io.flexrig.openadr.model;

import java.util.List;

/** A typed list of values, e.g. {@code {"type":"PRICE","values":[0.17]}}. */
public record ValuesMap(String type, List<Object> values) {
  public static ValuesMap of(String type, Object... values) {
    return new ValuesMap(type, List.of(values));
  }
}
