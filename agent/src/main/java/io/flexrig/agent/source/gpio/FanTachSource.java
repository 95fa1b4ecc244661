package io.flexrig.agent.source.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfig;
import com.pi4j.io.gpio.digital.DigitalInputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fan's tachometer on a GPIO input: the edge listener only increments a counter (it runs on
 * Pi4J's event thread and must not block); each sample turns the edges since the previous sample
 * into rpm. The first sample only opens the window, so it reports a BAD reading: no speed is known
 * yet.
 *
 * <p>Reading: {@code <role>} in rpm; a stopped fan reads 0 rpm with GOOD quality, which the safety
 * loop must treat as a fan failure.
 */
public final class FanTachSource implements PolledSource {
  private static final Logger log = LoggerFactory.getLogger(FanTachSource.class);

  private final String role;
  private final int pin;
  private final FanTachometer tachometer;
  private final Context pi4j;
  private final DigitalInput input;
  private final DigitalStateChangeListener listener;
  private final AtomicLong fallingEdges = new AtomicLong();
  private final LongSupplier nanoTime;
  private final Clock clock;
  private long windowStartNanos;
  private long windowStartEdges;
  private boolean started;

  public FanTachSource(
      String role,
      int pin,
      FanTachometer tachometer,
      Pi4jGpio gpio,
      LongSupplier nanoTime,
      Clock clock)
      throws IOException {
    this.role = role;
    this.pin = pin;
    this.tachometer = tachometer;
    this.pi4j = gpio.pi4j();
    this.nanoTime = nanoTime;
    this.clock = clock;
    DigitalInputConfig config =
        DigitalInput.newConfigBuilder(pi4j)
            .id("flexrig-tach-" + pin)
            .name(role)
            .address(pin)
            // The tach output is open collector: without a pull-up the line floats.
            .pull(PullResistance.PULL_UP)
            .provider(gpio.digitalInputProviderId())
            .build();
    try {
      this.input =
          pi4j.provider(gpio.digitalInputProviderId(), DigitalInputProvider.class).create(config);
    } catch (RuntimeException e) {
      throw new IOException("cannot open GPIO " + pin + " as a tach input: " + e.getMessage(), e);
    }
    this.listener =
        event -> {
          if (event.state() == DigitalState.LOW) {
            fallingEdges.incrementAndGet();
          }
        };
    input.addListener(listener);
  }

  @Override
  public String name() {
    return role;
  }

  @Override
  public synchronized List<Reading> sample() {
    long now = nanoTime.getAsLong();
    long edges = fallingEdges.get();
    Instant at = clock.instant();
    if (!started) {
      started = true;
      windowStartNanos = now;
      windowStartEdges = edges;
      return List.of(Reading.bad(role, "rpm", at));
    }
    double rpm = tachometer.rpm(edges - windowStartEdges, now - windowStartNanos);
    if (Double.isNaN(rpm)) {
      return List.of(Reading.bad(role, "rpm", at));
    }
    windowStartNanos = now;
    windowStartEdges = edges;
    return List.of(Reading.good(role, rpm, "rpm", at));
  }

  @Override
  public void close() {
    try {
      input.removeListener(listener);
      pi4j.shutdown(input.id());
    } catch (RuntimeException e) {
      log.debug("closing tach input on GPIO {} failed: {}", pin, e.toString());
    }
  }

  @Override
  public String toString() {
    return "FanTachSource[" + role + " gpio:" + pin + "]";
  }
}
