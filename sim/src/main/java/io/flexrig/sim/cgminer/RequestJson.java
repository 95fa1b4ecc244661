package io.flexrig.sim.cgminer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the only JSON a cgminer API request carries: one flat object whose values are strings,
 * numbers or booleans ({@code {"command":"powertarget","parameter":1500}}).
 */
final class RequestJson {

  private final String text;
  private int pos;

  private RequestJson(String text) {
    this.text = text;
  }

  /**
   * @return every member's value as text (numbers and booleans as written)
   * @throws IllegalArgumentException when the text is not one flat JSON object
   */
  static Map<String, String> parseFlatObject(String text) {
    return new RequestJson(text).object();
  }

  private Map<String, String> object() {
    Map<String, String> members = new LinkedHashMap<>();
    skipSpace();
    expect('{');
    skipSpace();
    if (peek() == '}') {
      pos++;
      return members;
    }
    while (true) {
      skipSpace();
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      members.put(key, value());
      skipSpace();
      char c = next();
      if (c == '}') {
        break;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected ',' or '}' at " + (pos - 1));
      }
    }
    skipSpace();
    if (pos != text.length()) {
      throw new IllegalArgumentException("trailing characters at " + pos);
    }
    return members;
  }

  private String value() {
    if (peek() == '"') {
      return string();
    }
    int start = pos;
    while (pos < text.length() && ",} \t\r\n".indexOf(text.charAt(pos)) < 0) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("expected a value at " + pos);
    }
    String literal = text.substring(start, pos);
    if (literal.equals("null")) {
      return "";
    }
    if (!literal.equals("true") && !literal.equals("false") && !literal.matches("-?[0-9.eE+-]+")) {
      throw new IllegalArgumentException("not a JSON value: " + literal);
    }
    return literal;
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw new IllegalArgumentException("truncated escape");
          }
          out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> out.append(e);
      }
    }
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw new IllegalArgumentException("unexpected end of request");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char expected) {
    if (next() != expected) {
      throw new IllegalArgumentException("expected '" + expected + "' at " + (pos - 1));
    }
  }
}
