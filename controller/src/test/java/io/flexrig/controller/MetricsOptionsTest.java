package io.flexrig.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsOptionsTest {

  @Test
  void metricsAreServedOnlyWithAPortAndOnLoopbackUnlessTold() {
    assertThat(ControllerMain.parse(new String[] {"--dev-plaintext"}).metrics()).isNull();

    var loopback = ControllerMain.parse(new String[] {"--dev-plaintext", "--metrics-port", "9465"});
    assertThat(loopback.metrics().port()).isEqualTo(9465);
    assertThat(loopback.metrics().bindAddress()).isEqualTo("127.0.0.1");

    var lan =
        ControllerMain.parse(
            new String[] {
              "--dev-plaintext", "--metrics-port", "9465", "--metrics-host", "10.0.0.5"
            });
    assertThat(lan.metrics().bindAddress()).isEqualTo("10.0.0.5");
  }

  @Test
  void aMetricsHostWithoutAPortOrABadPortIsRefused() {
    assertThatThrownBy(
            () ->
                ControllerMain.parse(new String[] {"--dev-plaintext", "--metrics-host", "0.0.0.0"}))
        .hasMessageContaining("--metrics-port");
    assertThatThrownBy(
            () -> ControllerMain.parse(new String[] {"--dev-plaintext", "--metrics-port", "70000"}))
        .hasMessageContaining("metrics port");
  }
}
