package io.flexrig.core.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed, located access to one YAML mapping of a profile. Every problem (missing, duplicate or
 * unknown key, wrong type) is recorded in {@link ProfileProblems} and the accessor returns a
 * placeholder (NaN, null), so reading goes on and one run reports everything.
 */
final class YamlMapping {
  private final Node node;
  private final String path;
  private final ProfileProblems problems;
  private final Map<String, Node> values = new LinkedHashMap<>();

  private YamlMapping(Node node, String path, ProfileProblems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** Views a node as a mapping with the given keys; null (and an error) if it is not a mapping. */
  static YamlMapping of(Node node, String path, ProfileProblems problems, Set<String> known) {
    problems.located(path, node);
    if (!(node instanceof MappingNode mapping)) {
      problems.add(
          node, path.isEmpty() ? "(root)" : path, "expected a mapping, got " + describe(node));
      return null;
    }
    YamlMapping view = new YamlMapping(node, path, problems);
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode keyScalar)) {
        problems.add(
            keyNode, view.field("?"), "keys must be plain names, got " + describe(keyNode));
        continue;
      }
      String key = keyScalar.getValue();
      String field = view.field(key);
      Integer first = firstLine.putIfAbsent(key, ProfileProblems.lineOf(keyNode));
      if (first != null) {
        problems.add(keyNode, field, "duplicate key '" + key + "' (first at line " + first + ")");
        continue;
      }
      if (!known.contains(key)) {
        problems.add(keyNode, field, unknownKeyMessage(key, known));
        continue;
      }
      view.values.put(key, tuple.getValueNode());
      problems.located(field, tuple.getValueNode());
    }
    return view;
  }

  static Set<String> keys(String... keys) {
    return Set.copyOf(Arrays.asList(keys));
  }

  String path() {
    return path;
  }

  String field(String key) {
    // an empty key (": value") still needs a field a technician can read (found by fuzzing)
    String name = key.isBlank() ? "(empty key)" : key;
    return path.isEmpty() ? name : path + "." + name;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  Node node() {
    return node;
  }

  private Node required(String key) {
    Node value = values.get(key);
    if (value == null) {
      problems.add(node, field(key), "required field '" + key + "' is missing");
    }
    return value;
  }

  /** A required finite number; NaN after recording the problem. */
  double number(String key) {
    Node value = required(key);
    return value == null ? Double.NaN : toNumber(value, field(key));
  }

  double number(String key, double absent) {
    Node value = values.get(key);
    return value == null ? absent : toNumber(value, field(key));
  }

  /** A required whole number; 0 after recording the problem. */
  int integer(String key) {
    return required(key) == null ? 0 : integer(key, 0);
  }

  int integer(String key, int absent) {
    Node value = values.get(key);
    if (value == null) {
      return absent;
    }
    if (value instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
      try {
        return Integer.parseInt(s.getValue().replace("_", "").replaceFirst("^\\+", ""));
      } catch (NumberFormatException e) {
        // falls through to the type error below
      }
    }
    problems.add(value, field(key), "expected a whole number, got " + describe(value));
    return absent;
  }

  /** A required non-empty text; null after recording the problem. */
  String text(String key) {
    Node value = required(key);
    return value == null ? null : toText(value, field(key));
  }

  String text(String key, String absent) {
    Node value = values.get(key);
    return value == null ? absent : toText(value, field(key));
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String name = text(key);
    if (name == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      String allowed =
          Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
      problems.add(
          values.get(key), field(key), "unknown value '" + name + "'; allowed: " + allowed);
      return null;
    }
  }

  /** A required list; null after recording the problem. */
  List<Node> list(String key) {
    Node value = required(key);
    return value == null ? null : toList(value, field(key));
  }

  List<Node> list(String key, List<Node> absent) {
    Node value = values.get(key);
    return value == null ? absent : toList(value, field(key));
  }

  YamlMapping mapping(String key, Set<String> known) {
    Node value = required(key);
    return value == null ? null : of(value, field(key), problems, known);
  }

  /** An optional mapping of free keys to scalar values (driver options). */
  Map<String, String> scalarMap(String key) {
    Node value = values.get(key);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof MappingNode m)) {
      problems.add(value, field(key), "expected a mapping, got " + describe(value));
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v) {
        String field = field(key) + "." + k.getValue();
        if (out.putIfAbsent(k.getValue(), v.getValue()) != null) {
          problems.add(k, field, "duplicate key '" + k.getValue() + "'");
        }
        problems.located(field, v);
      } else {
        problems.add(t.getKeyNode(), field(key), "option names and values must be scalars");
      }
    }
    return out;
  }

  private List<Node> toList(Node value, String field) {
    if (value instanceof SequenceNode seq) {
      List<Node> items = new ArrayList<>(seq.getValue());
      for (int i = 0; i < items.size(); i++) {
        problems.located(field + "[" + i + "]", items.get(i));
      }
      return items;
    }
    problems.add(value, field, "expected a list, got " + describe(value));
    return null;
  }

  double toNumber(Node value, String field) {
    if (value instanceof ScalarNode s
        && (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
      double d = parseNumber(s.getValue());
      if (Double.isFinite(d)) {
        return d;
      }
    }
    problems.add(value, field, "expected a number, got " + describe(value));
    return Double.NaN;
  }

  String toText(Node value, String field) {
    if (value instanceof ScalarNode s && !Tag.NULL.equals(s.getTag()) && !s.getValue().isBlank()) {
      return s.getValue();
    }
    problems.add(value, field, "expected a non-empty text, got " + describe(value));
    return null;
  }

  private static double parseNumber(String raw) {
    String v = raw.replace("_", "");
    try {
      if (v.startsWith("0x")) {
        return Long.parseLong(v.substring(2), 16);
      }
      if (v.startsWith("0o")) {
        return Long.parseLong(v.substring(2), 8);
      }
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) node;
    Tag tag = s.getTag();
    if (Tag.NULL.equals(tag)) {
      return "nothing";
    }
    String kind =
        Tag.BOOL.equals(tag)
            ? "boolean"
            : Tag.INT.equals(tag) || Tag.FLOAT.equals(tag) ? "number" : "text";
    return kind + " \"" + s.getValue() + "\"";
  }

  static String unknownKeyMessage(String key, Set<String> known) {
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (String candidate : known.stream().sorted().toList()) {
      int d = editDistance(key.toLowerCase(Locale.ROOT), candidate);
      if (d < best) {
        best = d;
        nearest = candidate;
      }
    }
    String allowed = known.stream().sorted().collect(Collectors.joining(", "));
    if (nearest != null && best <= Math.max(2, key.length() / 3)) {
      return "unknown key '" + key + "'; did you mean '" + nearest + "'? (known: " + allowed + ")";
    }
    return "unknown key '" + key + "'; known keys: " + allowed;
  }

  /** Levenshtein distance; keys are short, so the quadratic table is fine. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
