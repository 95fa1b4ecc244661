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
  private volatile boolean statsSupported = true;
  // Whatsminer's btminer has no Antminer-style stats: its boards come from edevs (or devs).
  private volatile String boardsCommand = "stats";

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
    boolean summaryHasChipTemp = false;
    try {
      List<Reading> s = CgminerReplies.summary(summary, at);
      out.addAll(s);
      summaryHasChipTemp = s.stream().anyMatch(r -> r.name().equals(CgminerReplies.CHIP_TEMP_MAX));
      if (boardsCommand.equals("stats") && CgminerReplies.isWhatsminerSummary(summary)) {
        boardsCommand = "edevs";
        powerSupported = false; // btminer reports power in its summary
        log.info("miner {} runs Whatsminer btminer; reading boards with edevs", client.address());
      }
    } catch (CgminerProtocolException e) {
      log.debug("summary from {} unusable: {}", client.address(), e.getMessage());
      out.add(Reading.bad(CgminerReplies.HASHRATE_5S, "TH/s", at));
    }
    if (statsSupported) {
      sampleBoards(out, summaryHasChipTemp);
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

  private void sampleBoards(List<Reading> out, boolean summaryHasChipTemp) throws IOException {
    String command = boardsCommand;
    String reply = client.send(command);
    Instant at = clock.instant();
    try {
      if (command.equals("stats")) {
        List<Reading> stats = CgminerReplies.stats(reply, at);
        // A summary that already gave the hottest chip wins over a stats reply without one.
        for (Reading r : stats) {
          if (!(summaryHasChipTemp
              && r.name().equals(CgminerReplies.CHIP_TEMP_MAX)
              && r.quality() == io.flexrig.agent.source.Quality.BAD)) {
            out.add(r);
          }
        }
      } else {
        out.addAll(CgminerReplies.devs(command, reply, at));
      }
    } catch (CgminerCommandException e) {
      if (command.equals("edevs")) {
        boardsCommand = "devs"; // older btminer
      } else {
        statsSupported = false;
        log.info(
            "miner {} refuses '{}' ({}); not asking again",
            client.address(),
            command,
            e.minerMessage());
      }
      if (!summaryHasChipTemp) {
        out.add(Reading.bad(CgminerReplies.CHIP_TEMP_MAX, "C", at));
      }
    } catch (CgminerProtocolException e) {
      log.debug("{} from {} unusable: {}", command, client.address(), e.getMessage());
      if (!summaryHasChipTemp) {
        out.add(Reading.bad(CgminerReplies.CHIP_TEMP_MAX, "C", at));
      }
    }
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
