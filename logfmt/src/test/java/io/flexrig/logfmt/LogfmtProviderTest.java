package io.flexrig.logfmt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Through the SLF4J API, as the agent and the controller log. */
class LogfmtProviderTest {

  @Test
  void slf4jFindsTheProviderAndWritesOneLinePerEventWithItsKeyValuePairs() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Logger log = LoggerFactory.getLogger("io.flexrig.agent.RigAgent");
      log.info("agent for rig {} started", "r1");
      log.atWarn()
          .addKeyValue("source", "miner_api")
          .addKeyValue("overruns", 3)
          .log("source {} is slow", "miner_api");
      log.debug("a sample: not written at the default level");
      LoggerFactory.getLogger("io.netty.Noisy").info("library info: not written");
      java.util.logging.Logger.getLogger("io.grpc.internal.Channel")
          .warning("grpc warning through java.util.logging");
    } finally {
      System.setErr(stderr);
    }

    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .startsWith("io.flexrig.logfmt.");
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out.lines())
        .hasSize(3)
        .allMatch(l -> l.matches("(<\\d>)?(ts=\\S+ )?level=\\w+ logger=\\S+ msg=.*"));
    assertThat(out)
        .contains("level=info logger=RigAgent msg=\"agent for rig r1 started\"")
        .contains(
            "level=warn logger=RigAgent msg=\"source miner_api is slow\" source=miner_api"
                + " overruns=3")
        .contains("level=warn logger=Channel msg=\"grpc warning through java.util.logging\"")
        .doesNotContain("not written");
  }
}
