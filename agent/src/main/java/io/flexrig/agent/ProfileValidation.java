package io.flexrig.agent;

import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileError;
import io.flexrig.core.profile.ProfileException;
import io.flexrig.core.profile.ProfileLoader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code flexrig-agent profile validate FILE...}: loads each hardware profile and prints every
 * error as {@code file:line: field: message}; exit code 1 when any file is invalid, 2 on usage.
 */
public final class ProfileValidation {
  private ProfileValidation() {}

  static int run(String[] files, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
    try {
      return run(files, o, e);
    } finally {
      o.flush();
      e.flush();
    }
  }

  public static int run(String[] files, PrintWriter out, PrintWriter err) {
    if (files.length == 0) {
      err.println("usage: flexrig-agent profile validate FILE...");
      return 2;
    }
    int exit = 0;
    for (String file : files) {
      try {
        HardwareProfile profile = ProfileLoader.load(Path.of(file));
        out.printf(
            "%s: OK (%s, %s %s, %d sensors)%n",
            file, profile.id(), profile.vendor(), profile.model(), profile.sensors().size());
      } catch (ProfileException e) {
        exit = 1;
        for (ProfileError error : e.errors()) {
          err.println(error);
        }
      }
    }
    return exit;
  }
}
