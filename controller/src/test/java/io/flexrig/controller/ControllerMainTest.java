package io.flexrig.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.controller.hybrid.HybridSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerMainTest {

  @TempDir Path dir;

  @Test
  void argumentsOverrideTheConfigFile() throws IOException {
    Path file = dir.resolve("controller.properties");
    Files.writeString(
        file,
        "port=6000\ndb=/var/lib/flexrig/c.db\ntelemetry-interval-ms=500\ndev-plaintext=true\n");

    ControllerConfig config =
        ControllerMain.parse(new String[] {"--config", file.toString(), "--port", "7000"});

    assertThat(config.port()).isEqualTo(7000);
    assertThat(config.databaseFile()).isEqualTo(Path.of("/var/lib/flexrig/c.db"));
    assertThat(config.telemetryInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.bindHost()).isEqualTo("127.0.0.1");
    assertThat(config.plaintext()).isTrue();
  }

  @Test
  void priceDrivenDispatchIsOffUnlessAPriceSourceIsConfigured() throws IOException {
    assertThat(ControllerMain.parse(new String[] {"--dev-plaintext"}).price()).isNull();

    Path prices = dir.resolve("prices.csv");
    Files.writeString(prices, "start,minutes,usd_per_mwh\n2026-08-20T19:00:00Z,5,32\n");
    Path file = dir.resolve("controller.properties");
    Files.writeString(
        file,
        "dev-plaintext=true\nprice-fixed-usd-per-kwh=0.048\nprice-file="
            + prices
            + "\nprice-tick-s=15\n");
    ControllerConfig config = ControllerMain.parse(new String[] {"--config", file.toString()});

    assertThat(config.price().feeds()).hasSize(2);
    assertThat(config.price().tick()).isEqualTo(Duration.ofSeconds(15));

    Files.writeString(prices, "start,minutes,usd_per_mwh\n2026-08-20T19:00:00Z,five,32\n");
    assertThatThrownBy(() -> ControllerMain.parse(new String[] {"--config", file.toString()}))
        .hasMessage(prices + ":2: minutes: expected a number, got 'five'");
  }

  @Test
  void hybridSitesNeedAPriceAndNameTheWrongOption() {
    ControllerConfig config =
        ControllerMain.parse(
            new String[] {
              "--dev-plaintext",
              "--price-fixed-usd-per-kwh",
              "0.04",
              "--hybrid-sites",
              "west, east",
              "--hybrid-min-hold-s",
              "1800",
              "--hybrid-ai-usd-per-gpu-hour",
              "0.25",
              "--hybrid-ai-utilisation",
              "0.8"
            });
    assertThat(config.hybrid().sites())
        .extracting(HybridSite::siteId)
        .containsExactly("west", "east");
    assertThat(config.hybrid().sites().getFirst().policy().minHold())
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(config.hybrid().aiRate().orElseThrow().expectedUsdPerGpuHour()).isEqualTo(0.2);
    assertThat(ControllerMain.parse(new String[] {"--dev-plaintext"}).hybrid()).isNull();

    assertThatThrownBy(
            () -> ControllerMain.parse(new String[] {"--dev-plaintext", "--hybrid-sites", "west"}))
        .hasMessageContaining("--hybrid-sites needs a power price");
    assertThatThrownBy(
            () ->
                ControllerMain.parse(new String[] {"--dev-plaintext", "--hybrid-min-hold-s", "60"}))
        .hasMessage(
            "--hybrid-min-hold-s needs --hybrid-sites (the sites that choose mining or AI)");
    assertThatThrownBy(
            () ->
                ControllerMain.parse(
                    new String[] {
                      "--dev-plaintext",
                      "--price-fixed-usd-per-kwh",
                      "0.04",
                      "--hybrid-sites",
                      "west",
                      "--hybrid-switching-cost-usd",
                      "lots"
                    }))
        .hasMessage("--hybrid-*: --hybrid-switching-cost-usd: expected a number, got 'lots'");
  }

  @Test
  void retentionAndShutdownOptionsReachTheConfig() {
    ControllerConfig config =
        ControllerMain.parse(
            new String[] {
              "--dev-plaintext",
              "--raw-retention-hours",
              "24",
              "--rollup-retention-days",
              "90",
              "--drain-s",
              "2.5",
              "--reconnect-to",
              "ctl-b.site:50051, 10.0.0.7:50051"
            });

    assertThat(config.retention().rawSamples()).isEqualTo(Duration.ofHours(24));
    assertThat(config.retention().rollups()).isEqualTo(Duration.ofDays(90));
    assertThat(config.shutdown().drain()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.shutdown().alternates())
        .containsExactly("ctl-b.site:50051", "10.0.0.7:50051");
    assertThat(ControllerMain.parse(new String[] {"--dev-plaintext"}).shutdown())
        .isEqualTo(GracefulShutdown.DEFAULT);
  }

  @Test
  void aReconnectTargetThatIsNotHostAndPortIsRefused() {
    assertThatThrownBy(
            () ->
                ControllerMain.parse(
                    new String[] {"--dev-plaintext", "--reconnect-to", "ctl-b.site"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host:port");
  }

  @Test
  void withoutTlsMaterialTheDevelopmentFlagIsRequired() {
    assertThatThrownBy(() -> ControllerMain.parse(new String[] {"--port", "7000"}))
        .hasMessageContaining("--dev-plaintext");
  }

  @Test
  void plaintextIsRefusedOnANonLoopbackAddress() {
    assertThatThrownBy(
            () -> ControllerMain.parse(new String[] {"--dev-plaintext", "--host", "0.0.0.0"}))
        .hasMessageContaining("plaintext is allowed only on a loopback address");
  }

  @Test
  void tlsOptionsMakeATlsConfig() {
    ControllerConfig config =
        ControllerMain.parse(
            new String[] {
              "--host",
              "0.0.0.0",
              "--tls-cert",
              "c.crt",
              "--tls-key",
              "c.key",
              "--tls-client-ca",
              "ca.crt",
              "--grid-token-file",
              "tokens"
            });

    assertThat(config.plaintext()).isFalse();
    assertThat(config.tls())
        .isEqualTo(
            new ControllerTls(
                Path.of("c.crt"), Path.of("c.key"), Path.of("ca.crt"), Path.of("tokens")));
  }

  @Test
  void anUnknownKeyInTheConfigFileIsNamed() throws IOException {
    Path file = dir.resolve("controller.properties");
    Files.writeString(file, "prot=6000\n");

    assertThatThrownBy(() -> ControllerMain.parse(new String[] {"--config", file.toString()}))
        .hasMessageContaining("unknown key 'prot'");
  }

  @Test
  void anUnknownOptionIsRefused() {
    assertThatThrownBy(() -> ControllerMain.parse(new String[] {"--verbose", "yes"}))
        .hasMessageContaining("--verbose");
  }

  @Test
  void openAdrOptionsConfigureTheVenWithTheSecretReadFromAFile() throws IOException {
    Path secret = Files.writeString(dir.resolve("vtn-secret"), "s3cret\n");
    var settings =
        ControllerMain.parseOpenAdr(
                new String[] {
                  "--dev-plaintext",
                  "--openadr-vtn",
                  "https://vtn.example/openadr3/3.1.0",
                  "--openadr-client-id",
                  "site-a-ven",
                  "--openadr-secret-file",
                  secret.toString(),
                  "--openadr-program",
                  "ercot-dr",
                  "--openadr-site",
                  "site-a",
                  "--openadr-simple-kw",
                  "250, 500, 1000",
                  "--openadr-response-s",
                  "600"
                })
            .orElseThrow();
    assertThat(settings.clientSecret()).isEqualTo("s3cret");
    assertThat(settings.venName()).isEqualTo("site-a");
    assertThat(settings.simpleLevels().highKw()).isEqualTo(500);
    assertThat(settings.responseTime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(ControllerMain.parseOpenAdr(new String[] {"--dev-plaintext"})).isEmpty();
  }

  @Test
  void openAdrWithoutItsSiteIsRefusedNamingTheOption() {
    assertThatThrownBy(
            () ->
                ControllerMain.parseOpenAdr(
                    new String[] {"--dev-plaintext", "--openadr-vtn", "https://vtn.example"}))
        .hasMessageContaining("--openadr-site");
  }
}
