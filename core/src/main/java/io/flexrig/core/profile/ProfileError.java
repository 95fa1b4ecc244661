package io.flexrig.core.profile;

/**
 * One problem found in a profile file, located precisely enough for a technician to fix it.
 *
 * @param file the file's path as given to the loader
 * @param line 1-based line of the offending node (0 when the file could not be read at all)
 * @param field dotted path of the field, e.g. {@code limits.chip_temp_c.critical}
 * @param message what is wrong, in plain words
 */
public record ProfileError(String file, int line, String field, String message) {

  @Override
  public String toString() {
    return file + ":" + line + ": " + field + ": " + message;
  }
}
