package io.flexrig.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class ControllerProcessTest {

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;

  @Test
  void theControllerProcessServesUntilSigtermAndThenStopsCleanly() throws Exception {
    Path log = dir.resolve("controller.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ControllerMain.class.getName(),
                    "--dev-plaintext",
                    "--port",
                    "0",
                    "--db",
                    dir.resolve("controller.db").toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      int port = await().atMost(Duration.ofSeconds(20)).until(() -> listeningPort(log), p -> p > 0);
      ManagedChannel channel =
          Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
              .build();
      try {
        assertThat(
                HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance())
                    .getStatus())
            .isEqualTo(ServingStatus.SERVING);
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }

      process.destroy(); // SIGTERM

      assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log)).contains("Fleet controller stopped");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void withTlsOptionsTheProcessServesOnlyClientsWithASiteCertificate() throws Exception {
    Path pki = dir.resolve("pki");
    for (List<String> args :
        List.of(List.of("ca", "proc-site"), List.of("controller"), List.of("monitor", "noc"))) {
      List<String> cmd = new java.util.ArrayList<>();
      cmd.add("bash");
      cmd.add(Path.of("../scripts/flexrig-pki.sh").toAbsolutePath().normalize().toString());
      cmd.add(args.get(0));
      cmd.add(pki.toString());
      cmd.addAll(args.subList(1, args.size()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    Path log = dir.resolve("controller-tls.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ControllerMain.class.getName(),
                    "--port",
                    "0",
                    "--db",
                    dir.resolve("controller.db").toString(),
                    "--tls-cert",
                    pki.resolve("controller.crt").toString(),
                    "--tls-key",
                    pki.resolve("controller.key").toString(),
                    "--tls-client-ca",
                    pki.resolve("ca.crt").toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      int port = await().atMost(Duration.ofSeconds(20)).until(() -> listeningPort(log), p -> p > 0);
      assertThat(Files.readString(log)).contains("(mTLS)");
      ManagedChannel withCertificate =
          Grpc.newChannelBuilderForAddress(
                  "127.0.0.1",
                  port,
                  TlsChannelCredentials.newBuilder()
                      .keyManager(
                          pki.resolve("monitor-noc.crt").toFile(),
                          pki.resolve("monitor-noc.key").toFile())
                      .trustManager(pki.resolve("ca.crt").toFile())
                      .build())
              .build();
      ManagedChannel plaintext =
          Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
              .build();
      try {
        assertThat(
                HealthGrpc.newBlockingStub(withCertificate)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance())
                    .getStatus())
            .isEqualTo(ServingStatus.SERVING);
        assertThatThrownBy(
                () ->
                    HealthGrpc.newBlockingStub(plaintext)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()))
            .isInstanceOf(StatusRuntimeException.class);
      } finally {
        withCertificate.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        plaintext.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      process.destroy();
      assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
    }
  }

  private static int listeningPort(Path log) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    Matcher m = LISTENING.matcher(Files.readString(log));
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
