package io.flexrig.core.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects every problem of one profile file, and remembers the line of each field read so that
 * checks made after mapping (ranges, cross-field rules) can still point at the right line.
 */
final class ProfileProblems {
  private final String file;
  private final List<ProfileError> errors = new ArrayList<>();
  private final Map<String, Integer> lines = new HashMap<>();

  ProfileProblems(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  static int lineOf(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  void located(String field, Node node) {
    lines.putIfAbsent(field, lineOf(node));
  }

  void add(int line, String field, String message) {
    errors.add(new ProfileError(file, line, field, message));
  }

  void add(Node node, String field, String message) {
    add(lineOf(node), field, message);
  }

  /** An error on a field already read: its line, or the nearest enclosing field's line. */
  void add(String field, String message) {
    add(lineFor(field), field, message);
  }

  int lineFor(String field) {
    String f = field;
    while (!f.isEmpty()) {
      Integer line = lines.get(f);
      if (line != null) {
        return line;
      }
      f = parentOf(f);
    }
    return lines.getOrDefault("", 1);
  }

  private static String parentOf(String field) {
    int cut = Math.max(field.lastIndexOf('.'), field.lastIndexOf('['));
    return cut < 0 ? "" : field.substring(0, cut);
  }

  /** Whether the field was already reported (a whole number cannot carry NaN to say so). */
  boolean reported(String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field));
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** Sorted by line so the report reads top to bottom like the file. */
  List<ProfileError> errors() {
    List<ProfileError> sorted = new ArrayList<>(errors);
    sorted.sort(Comparator.comparingInt(ProfileError::line).thenComparing(ProfileError::field));
    return sorted;
  }
}
