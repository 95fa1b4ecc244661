package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ControllerAddressTest {

  @Test
  void parsesHostAndPort() {
    assertThat(ControllerAddress.parse("controller.example.net:9443"))
        .isEqualTo(new ControllerAddress("controller.example.net", 9443));
    assertThat(ControllerAddress.parse("10.0.0.5"))
        .isEqualTo(new ControllerAddress("10.0.0.5", 7443));
    assertThat(ControllerAddress.parse("[::1]:50051"))
        .isEqualTo(new ControllerAddress("::1", 50051));
    assertThat(ControllerAddress.parse("[::1]").port()).isEqualTo(7443);
  }

  @Test
  void printsIpv6InBrackets() {
    assertThat(new ControllerAddress("::1", 7443)).hasToString("[::1]:7443");
  }

  @Test
  void rejectsMalformedAddressesWithAnExample() {
    assertThatThrownBy(() -> ControllerAddress.parse("host:port"))
        .hasMessageContaining("is not host:port");
    assertThatThrownBy(() -> ControllerAddress.parse("::1:7443"))
        .hasMessageContaining("in brackets");
    assertThatThrownBy(() -> ControllerAddress.parse("host:70000"))
        .hasMessageContaining("1..65535");
    assertThatThrownBy(() -> ControllerAddress.parse(":7443")).hasMessageContaining("empty");
  }

  @Test
  void knowsLoopback() {
    assertThat(ControllerAddress.parse("127.0.0.1:1").isLoopback()).isTrue();
    assertThat(ControllerAddress.parse("localhost").isLoopback()).isTrue();
    assertThat(ControllerAddress.parse("[::1]").isLoopback()).isTrue();
    assertThat(ControllerAddress.parse("10.0.0.1").isLoopback()).isFalse();
  }
}
