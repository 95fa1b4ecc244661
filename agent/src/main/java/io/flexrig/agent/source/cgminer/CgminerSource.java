package io.flexrig.agent.source.cgminer;

import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a miner's {@code summary}, {@code stats} and (LuxOS) {@code power}. A command the firmware
 * does not know is asked once and then left out; a reply that cannot be parsed degrades its own
 * readings to BAD; only a connection failure fails the whole sample.
 */
public final class CgminerSource implements PolledSource {
  private static final Logger log = LoggerFactory.getLogger(CgminerSource.class);

  private final String name;
  private final CgminerClient client;
  private final Clock clock;
  private volatile boolean powerSupported = true;

  public CgminerSource(String name, CgminerClient client, Clock clock) {
    this.name = name;
    this.client = client;
    this.clock = clock;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Reading> sample() throws IOException {
    List<Reading> out = new ArrayList<>(24);
    String summary = client.send("summary");
    Instant at = clock.instant();
    try {
      out.addAll(CgminerReplies.summary(summary, at));
    } catch (CgminerProtocolException e) {
      log.debug("summary from {} unusable: {}", client.address(), e.getMessage());
      out.add(Reading.bad(CgminerReplies.HASHRATE_5S, "TH/s", at));
    }
    String stats = client.send("stats");
    at = clock.instant();
    try {
      out.addAll(CgminerReplies.stats(stats, at));
    } catch (CgminerProtocolException e) {
      log.debug("stats from {} unusable: {}", client.address(), e.getMessage());
      out.add(Reading.bad(CgminerReplies.CHIP_TEMP_MAX, "C", at));
    }
    if (powerSupported) {
      String power = client.send("power");
      at = clock.instant();
      try {
        out.addAll(CgminerReplies.power(power, at));
      } catch (CgminerCommandException e) {
        powerSupported = false;
        log.info(
            "miner {} has no 'power' command ({}); not asking again",
            client.address(),
            e.minerMessage());
      } catch (CgminerProtocolException e) {
        out.add(Reading.bad(CgminerReplies.POWER, "W", at));
      }
    }
    return out;
  }

  @Override
  public void close() {
    // one connection per command: nothing held open
  }

  @Override
  public String toString() {
    return "CgminerSource[" + name + " " + client.address() + "]";
  }
}
