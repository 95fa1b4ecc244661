package io.flexrig.agent.source.cgminer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided companion of {@link CgminerFuzzTest}: whatever a miner's API answers, each reply
 * parser returns readings or throws {@link CgminerProtocolException}; any other exception, error or
 * hang is a finding. Every input goes to all four parsers, as a miner may answer the wrong command.
 * Seeds are the recorded replies of real firmware (packaged by the pom).
 */
@Tag("fuzz")
class MinerReplyFuzzTest {
  private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

  @FuzzTest(maxDuration = "20s")
  void everyReplyParsesOrFailsWithATypedError(byte[] input) {
    String reply = new String(input, StandardCharsets.UTF_8);
    try {
      CgminerReplies.summary(reply, AT);
    } catch (CgminerProtocolException expected) {
      // a typed refusal is the contract
    }
    try {
      CgminerReplies.stats(reply, AT);
    } catch (CgminerProtocolException expected) {
      // a typed refusal is the contract
    }
    try {
      CgminerReplies.devs("edevs", reply, AT);
    } catch (CgminerProtocolException expected) {
      // a typed refusal is the contract
    }
    try {
      CgminerReplies.power(reply, AT);
    } catch (CgminerProtocolException expected) {
      // a typed refusal is the contract
    }
  }
}
