package io.flexrig.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A finished child process: exit code and its stdout and stderr merged. */
record Command(List<String> argv, int exitCode, String output) {

  static Command run(List<String> argv) throws IOException, InterruptedException {
    return run(argv, Map.of());
  }

  static Command run(List<String> argv, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out: " + argv);
    }
    return new Command(argv, process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** Runs and requires exit code 0. */
  static String ok(List<String> argv) throws IOException, InterruptedException {
    Command c = run(argv);
    if (c.exitCode != 0) {
      throw new AssertionError(argv + " exited " + c.exitCode + ":\n" + c.output);
    }
    return c.output;
  }

  /** Whether an executable of that name is on PATH. */
  static boolean onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
