package io.flexrig.agent.source.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LenientJsonTest {

  @Test
  void parsesStandardJson() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> m =
        (Map<String, Object>)
            LenientJson.parse("{\"a\":[1,2.5,-3e2],\"b\":\"x\\\"y\\u0041\",\"c\":true,\"d\":null}");

    assertThat(m.get("a")).isEqualTo(List.of(1.0, 2.5, -300.0));
    assertThat(m.get("b")).isEqualTo("x\"yA");
    assertThat(m.get("c")).isEqualTo(true);
    assertThat(m).containsKey("d");
    assertThat(m.get("d")).isNull();
  }

  @Test
  void trailingNulBytesAreIgnored() throws Exception {
    assertThat(LenientJson.parse("{\"a\":1}\0\0")).isEqualTo(Map.of("a", 1.0));
  }

  @Test
  void objectsWithoutCommaBetweenThemInAnArrayAreSeparateElements() throws Exception {
    assertThat(LenientJson.parse("[{\"a\":1}{\"b\":2}]"))
        .isEqualTo(List.of(Map.of("a", 1.0), Map.of("b", 2.0)));
  }

  @Test
  void trailingCommasAreIgnored() throws Exception {
    assertThat(LenientJson.parse("{\"a\":[1,2,],}")).isEqualTo(Map.of("a", List.of(1.0, 2.0)));
  }

  @Test
  void bareInfinityAndNanBecomeDoubles() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> m =
        (Map<String, Object>) LenientJson.parse("{\"a\":inf,\"b\":-inf,\"c\":nan,\"d\":NaN}");

    assertThat(m.get("a")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(m.get("b")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat((Double) m.get("c")).isNaN();
    assertThat((Double) m.get("d")).isNaN();
  }

  @Test
  void severalTopLevelObjectsBecomeAList() throws Exception {
    assertThat(LenientJson.parse("{\"a\":1}{\"b\":2}"))
        .isEqualTo(List.of(Map.of("a", 1.0), Map.of("b", 2.0)));
  }

  @Test
  void truncatedInputIsRejectedWithOffset() {
    assertThatThrownBy(() -> LenientJson.parse("{\"a\":[1,2"))
        .isInstanceOf(CgminerProtocolException.class)
        .hasMessageContaining("cut short at offset 9");
    assertThatThrownBy(() -> LenientJson.parse("{\"a\":\"unterminated"))
        .hasMessageContaining("cut short");
    assertThatThrownBy(() -> LenientJson.parse("{\"a\":tr")).hasMessageContaining("cut short");
  }

  @Test
  void malformedInputIsRejected() {
    assertThatThrownBy(() -> LenientJson.parse("{a:1}"))
        .isInstanceOf(CgminerProtocolException.class)
        .hasMessageContaining("member name");
    assertThatThrownBy(() -> LenientJson.parse("{\"a\" 1}")).hasMessageContaining("':'");
  }
}
