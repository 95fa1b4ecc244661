package io.flexrig.logfmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LogLevelsTest {

  @Test
  void flexrigLogsFromItsLevelLibrariesFromWarnAndTheLongestPrefixWins() {
    LogLevels levels =
        new LogLevels(
            Level.INFO,
            Level.WARN,
            Map.of(
                "io.grpc", Level.DEBUG,
                "io.grpc.netty", Level.ERROR,
                "io.flexrig.agent.sampler", Level.TRACE));

    assertThat(levels.threshold("io.flexrig.agent.RigAgent")).isEqualTo(Level.INFO);
    assertThat(levels.threshold("io.flexrig.agent.sampler.Sampler")).isEqualTo(Level.TRACE);
    assertThat(levels.threshold("io.flexrig.agent.samplerx")).isEqualTo(Level.INFO);
    assertThat(levels.threshold("org.eclipse.milo.Stack")).isEqualTo(Level.WARN);
    assertThat(levels.threshold("io.grpc.ManagedChannel")).isEqualTo(Level.DEBUG);
    assertThat(levels.threshold("io.grpc.netty.shaded.X")).isEqualTo(Level.ERROR);
    assertThat(levels.threshold("io.grpcx")).isEqualTo(Level.WARN);
  }

  @Test
  void levelNamesOfSlf4jAndJavaUtilLoggingAreUnderstoodAndTyposNamed() {
    assertThat(LogLevels.parse(" Debug ", "p")).isEqualTo(Level.DEBUG);
    assertThat(LogLevels.parse("WARNING", "p")).isEqualTo(Level.WARN);
    assertThat(LogLevels.parse("severe", "p")).isEqualTo(Level.ERROR);
    assertThatThrownBy(() -> LogLevels.parse("verbose", "flexrig.log.level"))
        .hasMessageContaining("flexrig.log.level")
        .hasMessageContaining("verbose");
  }
}
