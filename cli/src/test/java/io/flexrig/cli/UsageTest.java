package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mistakes caught before any call is made: exit code 2 and a hint, no controller needed. */
class UsageTest {

  private static CtlRun ctl(String... args) {
    return CtlRun.of(Map.of(), args);
  }

  @Test
  void bothTargetsAreAUsageError() {
    CtlRun r =
        ctl(
            "event",
            "create",
            "--site",
            "s",
            "--reduce-by-kw",
            "1",
            "--cap-kw",
            "2",
            "--response",
            "10m",
            "--duration",
            "1h");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("mutually exclusive")
        .contains("Try 'flexrigctl event create --help'.");
  }

  @Test
  void missingResponseIsAUsageError() {
    CtlRun r = ctl("event", "create", "--site", "s", "--reduce-by-kw", "1", "--duration", "1h");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--response");
  }

  @Test
  void malformedDurationNamesTheAcceptedForms() {
    CtlRun r =
        ctl(
            "event",
            "create",
            "--site",
            "s",
            "--reduce-by-kw",
            "1",
            "--response",
            "ten minutes",
            "--duration",
            "1h");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'ten minutes' is not a duration; use e.g. 90s, 10m");
  }

  @Test
  void malformedStartTimeIsAUsageError() {
    CtlRun r =
        ctl(
            "event",
            "create",
            "--site",
            "s",
            "--reduce-by-kw",
            "1",
            "--response",
            "10m",
            "--start",
            "tomorrow",
            "--duration",
            "1h");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'tomorrow' is not an ISO-8601 instant");
  }

  @Test
  void groupWithoutSubcommandListsTheSubcommands() {
    CtlRun r = ctl("event");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("create, modify, list, status, cancel, watch, report");
  }

  @Test
  void certWithoutKeyIsAUsageError() {
    CtlRun r = ctl("--cert", "client.pem", "site", "status", "--site", "s");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--cert and --key go together");
  }

  @Test
  void tokenOverPlaintextToARemoteControllerIsRefused() {
    CtlRun r =
        ctl(
            "--plaintext",
            "--controller",
            "controller.example.net:7443",
            "--token-file",
            "t",
            "site",
            "status",
            "--site",
            "s");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("loopback controller only");
  }

  @Test
  void unreadableTokenFileExitsWithCodeOne() {
    CtlRun r =
        ctl(
            "--plaintext",
            "--controller",
            "127.0.0.1:1",
            "--token-file",
            "/nonexistent/token",
            "site",
            "status",
            "--site",
            "s");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("flexrigctl: cannot read --token-file /nonexistent/token");
  }

  @Test
  void helpListsExamplesAndExitCodes() {
    CtlRun r = ctl("--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Examples:", "event create", "Exit codes:", "FLEXRIG_CONTROLLER");
  }

  @Test
  void versionNamesTheBuild() {
    CtlRun r = ctl("--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("flexrigctl 0.").doesNotContain("unknown");
  }

  @Test
  void generatesABashCompletionScriptNamingTheCommands() {
    CtlRun r = ctl("generate-completion");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("complete -F _complete_flexrigctl", "watch", "--reduce-by-kw");
  }
}
