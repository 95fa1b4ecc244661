package io.flexrig.openadr.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The published OpenADR 3.1.0 OpenAPI document, read tolerantly, and a small checker of the
 * properties its schemas require ($ref, allOf, oneOf/anyOf, items, enum). Enough to hold our
 * requests to the spec without a full OpenAPI validator (which trips on the document's defect).
 */
public final class OpenApiDocument {
  private static final String RESOURCE = "/openadr3/3.1.0/openadr3.yaml";
  // The known defect: "default: null          -" (a stray dash) near line 2009.
  private static final Pattern STRAY_DASH = Pattern.compile("(?m)^(\\s*default: null)\\s+-\\s*$");

  private final Map<String, Object> root;
  private final int patchedLines;

  private OpenApiDocument(Map<String, Object> root, int patchedLines) {
    this.root = root;
    this.patchedLines = patchedLines;
  }

  public static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the test classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int patched = (int) STRAY_DASH.matcher(text).results().count();
      text = STRAY_DASH.matcher(text).replaceAll("$1");
      Object doc = new Load(LoadSettings.builder().build()).loadFromString(text);
      return new OpenApiDocument(map(doc), patched);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many defective lines were patched in memory (1 for the published 3.1.0 document). */
  public int patchedLines() {
    return patchedLines;
  }

  public boolean hasOperation(String path, String method) {
    Object item = map(root.get("paths")).get(path);
    return item != null && map(item).containsKey(method.toLowerCase());
  }

  /** The schema of an operation's request body (JSON or form), or null when it takes none. */
  public Map<String, Object> requestSchema(String path, String method) {
    Map<String, Object> operation =
        map(map(map(root.get("paths")).get(path)).get(method.toLowerCase()));
    Object body = operation.get("requestBody");
    if (body == null) {
      return null;
    }
    Map<String, Object> content = map(map(body).get("content"));
    Object media = content.values().iterator().next();
    return map(map(media).get("schema"));
  }

  /** A schema of components/schemas by name. */
  public Map<String, Object> schema(String name) {
    return map(map(map(root.get("components")).get("schemas")).get(name));
  }

  /** The properties a schema requires at its top level (following $ref and allOf). */
  public List<String> requiredProperties(Map<String, Object> schema) {
    Map<String, Object> s = resolve(schema);
    List<String> required = new ArrayList<>();
    if (s.get("required") instanceof List<?> names) {
      names.forEach(n -> required.add(n.toString()));
    }
    if (s.get("allOf") instanceof List<?> parts) {
      parts.forEach(p -> required.addAll(requiredProperties(map(p))));
    }
    return required;
  }

  /** Where {@code value} breaks {@code schema}'s required properties, enums or basic types. */
  public List<String> violations(Map<String, Object> schema, JsonNode value, String where) {
    Map<String, Object> s = resolve(schema);
    List<String> found = new ArrayList<>();
    if (value == null || value.isNull()) {
      return found;
    }
    if (s.get("allOf") instanceof List<?> parts) {
      parts.forEach(p -> found.addAll(violations(map(p), value, where)));
    }
    for (String choice : List.of("oneOf", "anyOf")) {
      if (s.get(choice) instanceof List<?> options) {
        List<List<String>> results = new ArrayList<>();
        options.forEach(o -> results.add(violations(map(o), value, where)));
        List<String> best = results.stream().min(Comparator.comparingInt(List::size)).orElseThrow();
        found.addAll(best);
      }
    }
    String type = s.get("type") instanceof String t ? t : null;
    if (type != null && !hasType(value, type)) {
      found.add(where + " is not of type " + type);
      return found;
    }
    if (s.get("enum") instanceof List<?> allowed
        && value.isValueNode()
        && allowed.stream().noneMatch(a -> a.toString().equals(value.asText()))) {
      found.add(where + " = " + value + " is not one of " + allowed);
    }
    if (value.isObject()) {
      if (s.get("required") instanceof List<?> names) {
        for (Object name : names) {
          if (!value.hasNonNull(name.toString())) {
            found.add(where + "." + name + " is required");
          }
        }
      }
      if (s.get("properties") instanceof Map<?, ?> properties) {
        for (var property : properties.entrySet()) {
          JsonNode child = value.get(property.getKey().toString());
          if (child != null) {
            found.addAll(
                violations(map(property.getValue()), child, where + "." + property.getKey()));
          }
        }
      }
    }
    if (value.isArray() && s.get("items") != null) {
      for (int i = 0; i < value.size(); i++) {
        found.addAll(violations(map(s.get("items")), value.get(i), where + "[" + i + "]"));
      }
    }
    return found;
  }

  private Map<String, Object> resolve(Map<String, Object> schema) {
    Map<String, Object> s = schema;
    while (s.get("$ref") instanceof String ref) {
      s = schema(ref.substring(ref.lastIndexOf('/') + 1));
    }
    return s;
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    return (Map<String, Object>) node;
  }
}
