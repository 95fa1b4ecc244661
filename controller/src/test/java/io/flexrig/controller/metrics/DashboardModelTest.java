package io.flexrig.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexrig.testkit.NodeTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards in {@code dashboards/} are dashboard models Grafana imports: a uid, a
 * schema version, panels laid out on the 24-column grid, each with Prometheus targets. (That their
 * PromQL parses and names only exported metrics is checked against live scrapes by the agent's and
 * the controller's scrape tests.)
 */
class DashboardModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyDashboardIsAGrafanaModelWithPrometheusTargets() throws Exception {
    List<Path> files = NodeTools.dashboards();
    assertThat(files.stream().map(p -> p.getFileName().toString()))
        .contains("flexrig-fleet.json", "flexrig-dr-event.json");
    Set<String> uids = new HashSet<>();
    for (Path file : files) {
      JsonNode d = JSON.readTree(file.toFile());
      String name = file.getFileName().toString();
      assertThat(d.path("uid").asText()).as("%s uid", name).isNotBlank();
      assertThat(uids.add(d.path("uid").asText())).as("%s uid is unique", name).isTrue();
      assertThat(d.path("title").asText()).as("%s title", name).isNotBlank();
      assertThat(d.path("schemaVersion").isInt()).as("%s schemaVersion", name).isTrue();
      assertThat(d.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
      assertThat(variableNames(d)).as("%s variables", name).contains("datasource", "site");

      List<JsonNode> panels = new ArrayList<>();
      d.path("panels").forEach(p -> collect(p, panels));
      assertThat(panels).as("%s panels", name).hasSizeGreaterThanOrEqualTo(8);
      Set<Integer> ids = new HashSet<>();
      for (JsonNode p : panels) {
        String title = name + " / " + p.path("title").asText();
        assertThat(p.path("id").isInt()).as("%s id", title).isTrue();
        assertThat(ids.add(p.path("id").asInt())).as("%s id is unique", title).isTrue();
        assertThat(p.path("type").asText()).as("%s type", title).isNotBlank();
        JsonNode grid = p.path("gridPos");
        assertThat(grid.path("w").asInt()).as("%s width", title).isBetween(1, 24);
        assertThat(grid.path("x").asInt() + grid.path("w").asInt())
            .as("%s fits the 24 columns", title)
            .isLessThanOrEqualTo(24);
        assertThat(grid.path("h").asInt()).as("%s height", title).isPositive();
        if (p.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(p.path("datasource").path("type").asText())
            .as("%s datasource", title)
            .isEqualTo("prometheus");
        assertThat(p.path("targets").size()).as("%s targets", title).isPositive();
        Set<String> refIds = new HashSet<>();
        for (JsonNode t : p.path("targets")) {
          assertThat(refIds.add(t.path("refId").asText())).as("%s refId unique", title).isTrue();
          assertThat(t.path("expr").asText()).as("%s expr", title).contains("flexrig_");
        }
      }
    }
  }

  private static void collect(JsonNode panel, List<JsonNode> out) {
    out.add(panel);
    panel.path("panels").forEach(p -> collect(p, out));
  }

  private static List<String> variableNames(JsonNode d) {
    List<String> names = new ArrayList<>();
    d.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
    return names;
  }
}
