package io.flexrig.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent Node.js tools of {@code agent/src/test/node}: a Prometheus text-format
 * parser and the Prometheus project's PromQL grammar. Nothing of the Java client checks its own
 * output. Paths are found from the working directory, which Surefire sets to the module under test.
 */
public final class NodeTools {
  public static final Path MODULE = Path.of("").toAbsolutePath();
  public static final Path REPO = MODULE.getParent();
  // The Node.js project lives beside the agent's tests; CI installs it once (npm ci).
  public static final Path NODE_DIR = REPO.resolve("agent/src/test/node");

  private NodeTools() {}

  /** Scrapes {@code url} and returns the parsed families. */
  public static JsonElement scrape(String url) throws Exception {
    return node("scrape.js", url);
  }

  /** Parses every PromQL expression of the dashboards; returns names and errors per file. */
  public static JsonElement promqlMetrics(List<Path> dashboards) throws Exception {
    return node(
        "promql-metrics.js", dashboards.stream().map(Path::toString).toArray(String[]::new));
  }

  /** The Grafana dashboards of {@code dashboards/}, sorted by name. */
  public static List<Path> dashboards() throws IOException {
    try (var files = Files.list(REPO.resolve("dashboards"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /**
   * Every metric name the PromQL of {@code dashboards} uses (repeats included), after asserting
   * that each file's expressions parse.
   */
  public static List<String> dashboardMetrics(List<Path> dashboards) throws Exception {
    JsonElement used = promqlMetrics(dashboards);
    List<String> names = new ArrayList<>();
    for (var file : used.getAsJsonObject().entrySet()) {
      assertThat(file.getValue().getAsJsonObject().getAsJsonArray("errors").asList())
          .as("PromQL syntax errors in %s", file.getKey())
          .isEmpty();
      file.getValue()
          .getAsJsonObject()
          .getAsJsonArray("metrics")
          .forEach(m -> names.add(m.getAsString()));
    }
    return names;
  }

  private static JsonElement node(String script, String... args) throws Exception {
    ensureNodeModules();
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(NODE_DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(p.exitValue()).as("%s exit status; stdout: %s", command, out).isZero();
    return JsonParser.parseString(out);
  }

  /** Installs the locked packages once per checkout (CI runs {@code npm ci} up front). */
  private static synchronized void ensureNodeModules() throws Exception {
    if (Files.isDirectory(NODE_DIR.resolve("node_modules/parse-prometheus-text-format"))
        && Files.isDirectory(NODE_DIR.resolve("node_modules/@prometheus-io/lezer-promql"))) {
      return;
    }
    Process p =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(NODE_DIR.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished").isTrue();
    assertThat(p.exitValue()).as("npm ci failed: %s", out).isZero();
  }
}
