package io.flexrig.controller.price;

/**
 * A price file the controller cannot use, located precisely enough for the operator's ISO
 * integration to be fixed: {@code file:line: field: message}.
 */
public final class PriceFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String field;

  public PriceFileException(String file, int line, String field, String message) {
    super(file + ":" + line + ": " + field + ": " + message);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  public String file() {
    return file;
  }

  /** 1-based line; 0 when the file could not be read at all. */
  public int line() {
    return line;
  }

  /** The column (or {@code header}, {@code file}) at fault. */
  public String field() {
    return field;
  }
}
