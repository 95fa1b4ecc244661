package io.flexrig.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.controller.price.PriceSettings;
import io.flexrig.controller.store.TelemetryRetention;
import io.flexrig.metricshttp.MetricsSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerConfigTest {

  private final ControllerConfig full =
      ControllerConfig.builder()
          .port(6000)
          .databaseFile(Path.of("c.db"))
          .telemetryInterval(Duration.ofMillis(500))
          .clock(Clock.fixed(Instant.parse("2026-08-20T19:00:00Z"), ZoneOffset.UTC))
          .databaseUrl("jdbc:sqlite:other.db")
          .shutdown(GracefulShutdown.DEFAULT.withAlternates(List.of("ctl-b:50051")))
          .retention(TelemetryRetention.of(24, 90))
          .metrics(MetricsSettings.loopback(0))
          .price(PriceSettings.fixed(0.048))
          .build();

  @Test
  void eachCopyChangesOneFieldAndKeepsEveryOther() {
    assertThat(full.toBuilder().build()).isEqualTo(full);

    PriceSettings other = PriceSettings.fixed(0.05);
    assertThat(full.withPrice(other)).isEqualTo(full.toBuilder().price(other).build());
    assertThat(full.withPrice(other).withPrice(full.price())).isEqualTo(full);
    assertThat(full.withMetrics(null).withMetrics(full.metrics())).isEqualTo(full);
    assertThat(full.withRetention(TelemetryRetention.DEFAULT).withRetention(full.retention()))
        .isEqualTo(full);
    assertThat(full.withDatabaseUrl("jdbc:sqlite:x.db").withDatabaseUrl(full.databaseUrl()))
        .isEqualTo(full);
  }

  @Test
  void theBuilderValidatesLikeTheConstructor() {
    assertThatThrownBy(
            () -> ControllerConfig.builder().databaseFile(Path.of("c.db")).port(-1).build())
        .hasMessageContaining("port must be in 0..65535");
    assertThatThrownBy(() -> ControllerConfig.builder().build())
        .hasMessageContaining("databaseFile");
  }
}
