package io.flexrig.core.profile;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads one hardware profile from YAML and validates it completely: every problem of the file is
 * reported at once, each with its line and field, so a technician fixes a profile in one pass.
 *
 * <p>The YAML is composed into nodes rather than constructed into maps so that every value keeps
 * its line, and so that duplicate keys are seen instead of silently overwritten.
 */
public final class ProfileLoader {
  /** Field name of errors that belong to the whole file rather than a field. */
  public static final String SYNTAX_FIELD = "(syntax)";

  public static final String FILE_FIELD = "(file)";

  private ProfileLoader() {}

  /** Loads a profile file; its id must equal the file name without {@code .yaml}. */
  public static HardwareProfile load(Path file) throws ProfileException {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ProfileException(
          List.of(new ProfileError(file.toString(), 0, FILE_FIELD, "cannot read: " + e)));
    }
    return load(file.toString(), yaml);
  }

  /**
   * Loads a profile from text. If {@code sourceName} ends with {@code .yaml}, the id must equal its
   * last path segment without the extension.
   */
  public static HardwareProfile load(String sourceName, String yaml) throws ProfileException {
    return load(sourceName, new StringReader(yaml));
  }

  /** Loads a profile from a reader; the caller closes it. */
  public static HardwareProfile load(String sourceName, Reader yaml) throws ProfileException {
    String text;
    try {
      // Profiles are a few kilobytes; holding the text lets a bad character be located by line.
      text = readAll(yaml);
    } catch (IOException e) {
      throw new ProfileException(
          List.of(new ProfileError(sourceName, 0, FILE_FIELD, "cannot read: " + e.getMessage())));
    }
    ProfileProblems problems = new ProfileProblems(sourceName);
    Optional<Node> root;
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(sourceName).build();
      root = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      throw new ProfileException(List.of(syntaxError(sourceName, e)));
    } catch (ReaderException e) {
      throw new ProfileException(List.of(forbiddenCharacter(sourceName, text, e)));
    } catch (YamlEngineException e) {
      throw new ProfileException(
          List.of(
              new ProfileError(
                  sourceName, 1, SYNTAX_FIELD, "cannot read YAML: " + e.getMessage())));
    }
    if (root.isEmpty()) {
      throw new ProfileException(
          List.of(new ProfileError(sourceName, 1, FILE_FIELD, "the file holds no profile")));
    }
    ProfileReader.Draft draft = new ProfileReader(problems).read(root.get());
    if (draft != null) {
      new ProfileRules(problems).check(draft, expectedId(sourceName));
    }
    if (!problems.isEmpty() || draft == null) {
      throw new ProfileException(problems.errors());
    }
    return new HardwareProfile(
        draft.id(),
        draft.vendor(),
        draft.model(),
        draft.kind(),
        draft.nameplate(),
        new PowerCurve(draft.outputUnit(), draft.points()),
        draft.limits(),
        draft.thermal(),
        draft.sensors(),
        draft.workloads(),
        draft.curtailment(),
        sourceName,
        draft.frequencyResponse());
  }

  private static String readAll(Reader reader) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] chunk = new char[8192];
    for (int n; (n = reader.read(chunk)) != -1; ) {
      text.append(chunk, 0, n);
    }
    return text.toString();
  }

  /**
   * YAML forbids control characters (a NUL from a truncated write, a stray escape); the reader
   * gives only a code point index, so the line is counted here for the technician.
   */
  private static ProfileError forbiddenCharacter(
      String sourceName, String text, ReaderException e) {
    int codePoints = text.codePointCount(0, text.length());
    int end = text.offsetByCodePoints(0, Math.max(0, Math.min(e.getPosition(), codePoints)));
    int line = 1;
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return new ProfileError(
        sourceName,
        line,
        SYNTAX_FIELD,
        String.format(
            "character U+%04X is not allowed in a YAML file (a control character or a damaged file?)",
            e.getCodePoint()));
  }

  private static ProfileError syntaxError(String sourceName, MarkedYamlEngineException e) {
    int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(1);
    String what = e.getProblem() == null ? e.getMessage() : e.getProblem();
    // The parser notices a mistake where the next token does not fit, often a line after the
    // actual slip; the context mark says where the construct it was reading began.
    if (e.getContext() != null) {
      int started = e.getContextMark().map(m -> m.getLine() + 1).orElse(line);
      what += " (" + e.getContext() + (started != line ? " started at line " + started : "") + ")";
    }
    return new ProfileError(sourceName, line, SYNTAX_FIELD, "YAML syntax error: " + what);
  }

  /** The id a file of this name must declare, or null when the name is not a profile file name. */
  static String expectedId(String sourceName) {
    String name =
        sourceName.substring(
            Math.max(sourceName.lastIndexOf('/'), sourceName.lastIndexOf('\\')) + 1);
    return name.endsWith(".yaml") ? name.substring(0, name.length() - ".yaml".length()) : null;
  }
}
