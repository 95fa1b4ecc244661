package io.flexrig.agent.source;

/** The scheme and the scheme-specific rest of a sensor address like {@code i2c:1/0x40/ina226}. */
public record SourceAddress(String scheme, String rest, String text) {

  /** Splits at the first colon; {@code cgminer://h:p} and {@code cgminer:h:p} both work. */
  public static SourceAddress parse(String address) {
    if (address == null || address.isBlank()) {
      throw new InvalidAddressException(String.valueOf(address), "empty");
    }
    String text = address.strip();
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new InvalidAddressException(text, "no scheme (expected e.g. 'cgminer:', 'opcua:')");
    }
    String scheme = text.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    String rest = text.substring(colon + 1);
    if (rest.startsWith("//")) {
      rest = rest.substring(2);
    }
    if (rest.isEmpty()) {
      throw new InvalidAddressException(text, "nothing after the scheme");
    }
    return new SourceAddress(scheme, rest, text);
  }
}
