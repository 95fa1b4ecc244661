package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.controller.price.PriceSettings;
import io.flexrig.proto.v1.PriceDispatchStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flexrigctl price status} against a real controller running price-driven dispatch. */
@Tag("integration")
class PriceCommandTest {

  @TempDir Path dir;
  private FleetController controller;
  private ScriptedRig s19;

  @AfterEach
  void stop() throws InterruptedException {
    if (s19 != null) {
      s19.close();
    }
    if (controller != null) {
      controller.close();
    }
  }

  private CtlRun ctl(String... args) {
    return CtlRun.of(
        Map.of(),
        Stream.concat(
                Stream.of("--plaintext", "--controller", "127.0.0.1:" + controller.port()),
                Stream.of(args))
            .toArray(String[]::new));
  }

  @Test
  void showsThePriceItsSourceTheStrikesAndTheCurtailedRig() throws Exception {
    // 0.0605 USD/kWh: above the seed S19j Pro's break-even (0.0545), it holds 1,500 W.
    controller =
        new FleetController(
                ControllerConfig.loopback(0, dir.resolve("c.db"))
                    .withPrice(
                        PriceSettings.fixed(0.0605)
                            .withRhythm(Duration.ofMillis(200), 0.05, Duration.ZERO)))
            .start();
    s19 = new ScriptedRig(controller.port(), "site-1", "s19-a", 3068, "antminer-s19j-pro");

    PriceDispatchStatus status =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  CtlRun r = ctl("--json", "price", "status");
                  PriceDispatchStatus.Builder b = PriceDispatchStatus.newBuilder();
                  JsonFormat.parser().merge(r.out(), b);
                  return b.build();
                },
                s -> s.getCurtailedCount() == 1);
    assertThat(status.getSource()).isEqualTo("tariff:fixed");
    assertThat(status.getCurtailed(0).getPowerW()).isEqualTo(1500);
    assertThat(status.getStrikes(0).getBreakEvenUsdPerKwh()).isBetween(0.054, 0.055);

    CtlRun human = ctl("price", "status", "--site", "site-1");
    assertThat(human.exitCode()).as(human.toString()).isZero();
    assertThat(human.out())
        .contains("0.0605 USD/kWh", "tariff:fixed", "antminer-s19j-pro", "s19-a", "1500 W");
    assertThat(ctl("price", "status", "--site", "elsewhere").out()).contains("rigs curtailed  0");
  }

  @Test
  void saysWhenPriceDrivenDispatchIsOff() {
    controller = new FleetController(ControllerConfig.loopback(0, dir.resolve("c.db"))).start();

    CtlRun r = ctl("price", "status");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("price-driven dispatch is off");
  }
}
