package io.flexrig.agent.source.cgminer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader that accepts what cgminer-family firmwares really send: trailing NUL bytes,
 * {@code }{} with the comma missing between objects (Antminer {@code stats}), trailing commas, bare
 * {@code inf}/{@code -inf}/{@code nan}, and control characters inside strings. Objects become
 * {@link LinkedHashMap}s, arrays {@link ArrayList}s, numbers {@link Double}s. A reply that ends
 * before the value does is rejected with the offset where it was cut.
 */
final class LenientJson {
  private final String text;
  private int pos;

  private LenientJson(String text) {
    this.text = text;
  }

  /** Parses one JSON value; several top-level objects ({@code {..}{..}}) become a list. */
  static Object parse(String reply) throws CgminerProtocolException {
    String trimmed = stripTrailingNuls(reply);
    LenientJson p = new LenientJson(trimmed);
    p.skipWhitespace();
    if (p.pos >= trimmed.length()) {
      throw new CgminerProtocolException("empty reply");
    }
    Object first = p.value();
    p.skipWhitespace();
    if (p.pos >= trimmed.length()) {
      return first;
    }
    List<Object> all = new ArrayList<>();
    all.add(first);
    while (p.pos < trimmed.length()) {
      if (p.peek() == ',') {
        p.pos++;
        p.skipWhitespace();
        continue;
      }
      all.add(p.value());
      p.skipWhitespace();
    }
    return all;
  }

  private static String stripTrailingNuls(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\0' || Character.isWhitespace(s.charAt(end - 1)))) {
      end--;
    }
    return s.substring(0, end);
  }

  private Object value() throws CgminerProtocolException {
    skipWhitespace();
    if (pos >= text.length()) {
      throw cut("a value");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> text.startsWith("nan", pos) ? literal("nan", Double.NaN) : literal("null", null);
      case 'N' -> literal("NaN", Double.NaN);
      case 'i' -> literal("inf", Double.POSITIVE_INFINITY);
      case 'I' -> literal("Infinity", Double.POSITIVE_INFINITY);
      default -> number();
    };
  }

  private Map<String, Object> object() throws CgminerProtocolException {
    pos++; // '{'
    Map<String, Object> map = new LinkedHashMap<>();
    while (true) {
      skipWhitespace();
      if (pos >= text.length()) {
        throw cut("'}'");
      }
      char c = text.charAt(pos);
      if (c == '}') {
        pos++;
        return map;
      }
      if (c == ',') { // trailing or doubled comma
        pos++;
        continue;
      }
      if (c != '"') {
        throw error("expected a member name");
      }
      String key = string();
      skipWhitespace();
      if (pos >= text.length()) {
        throw cut("':'");
      }
      if (text.charAt(pos) != ':') {
        throw error("expected ':' after \"" + key + "\"");
      }
      pos++;
      map.put(key, value());
    }
  }

  private List<Object> array() throws CgminerProtocolException {
    pos++; // '['
    List<Object> list = new ArrayList<>();
    while (true) {
      skipWhitespace();
      if (pos >= text.length()) {
        throw cut("']'");
      }
      char c = text.charAt(pos);
      if (c == ']') {
        pos++;
        return list;
      }
      if (c == ',') { // separator, trailing or doubled comma; "}{" simply has none
        pos++;
        continue;
      }
      list.add(value());
    }
  }

  private String string() throws CgminerProtocolException {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw cut("a \\u escape");
          }
          try {
            sb.append((char) Integer.parseInt(text, pos, pos + 4, 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> sb.append(e); // \" \\ \/ and anything a firmware invents
      }
    }
    throw cut("the end of a string");
  }

  private Object literal(String word, Object value) throws CgminerProtocolException {
    if (text.startsWith(word, pos)) {
      pos += word.length();
      return value;
    }
    if (word.startsWith(text.substring(pos))) {
      throw cut("'" + word + "'");
    }
    throw error("unexpected token");
  }

  private Double number() throws CgminerProtocolException {
    int start = pos;
    if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
      pos++;
      if (text.startsWith("inf", pos)) {
        pos += 3;
        return text.charAt(start) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
    }
    while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos == start) {
      throw error("unexpected character '" + text.charAt(pos) + "'");
    }
    try {
      return Double.valueOf(text.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error("bad number '" + text.substring(start, pos) + "'");
    }
  }

  private char peek() {
    return text.charAt(pos);
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0') {
        pos++;
      } else {
        return;
      }
    }
  }

  private CgminerProtocolException cut(String expected) {
    return new CgminerProtocolException(
        "reply cut short at offset " + text.length() + " (expected " + expected + ")");
  }

  private CgminerProtocolException error(String problem) {
    return new CgminerProtocolException(problem + " at offset " + pos);
  }
}
