package io.flexrig.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The JSON Schema shipped beside the profiles describes the same format the loader reads. */
class ProfileSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode schemaJson;
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    schemaJson =
        JSON.readTree(RepoProfiles.dir().resolve("schema/hardware-profile.schema.json").toFile());
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson);
  }

  static List<Path> files() {
    return RepoProfiles.files();
  }

  static JsonNode yamlAsJson(Path file) throws IOException {
    Object tree = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    return JSON.valueToTree(tree);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void everyRepositoryProfileValidatesAgainstTheSchema(Path file) throws IOException {
    Set<ValidationMessage> messages = schema.validate(yamlAsJson(file));

    assertThat(messages).isEmpty();
  }

  @Test
  void schemaRejectsAMisspeltKeyAndAnUnknownEnumValue() throws IOException {
    String exemplar = Files.readString(RepoProfiles.dir().resolve("antminer-s19j-pro.yaml"));
    String bad =
        exemplar
            .replace("min_fan_rpm: 1500", "min_fan_rmp: 1500")
            .replace("kind: MINING", "kind: HASHING");
    Object tree = new Load(LoadSettings.builder().build()).loadFromString(bad);

    Set<ValidationMessage> messages = schema.validate(JSON.valueToTree(tree));

    assertThat(messages)
        .extracting(ValidationMessage::getMessage)
        .anySatisfy(m -> assertThat(m).contains("min_fan_rmp"))
        .anySatisfy(m -> assertThat(m).contains("min_fan_rpm"))
        .anySatisfy(m -> assertThat(m).contains("workloads[0].kind").contains("enumeration"));
  }

  @Test
  void schemaRejectsAGpuRigWithAHashrateCurve() throws IOException {
    String rig = Files.readString(RepoProfiles.dir().resolve("gpu-rig-8x-rtx4090.yaml"));
    Object tree =
        new Load(LoadSettings.builder().build())
            .loadFromString(rig.replace("output_unit: relative", "output_unit: TH/s"));

    assertThat(schema.validate(JSON.valueToTree(tree))).isNotEmpty();
  }

  @Test
  void everyPropertyOfTheSchemaIsDescribed() {
    List<String> undescribed = new ArrayList<>();
    collectUndescribed(schemaJson, "#", undescribed);

    assertThat(undescribed).isEmpty();
  }

  @Test
  void schemaKnowsTheSameKeysAsTheLoader() {
    assertThat(keys(schemaJson.get("properties"))).isEqualTo(ProfileReader.ROOT_KEYS);
    JsonNode props = schemaJson.get("properties");
    assertThat(keys(props.get("nameplate").get("properties")))
        .isEqualTo(ProfileReader.NAMEPLATE_KEYS);
    assertThat(keys(props.get("limits").get("properties"))).isEqualTo(ProfileReader.LIMITS_KEYS);
    assertThat(keys(props.get("thermal").get("properties"))).isEqualTo(ProfileReader.THERMAL_KEYS);
    JsonNode defs = schemaJson.get("$defs");
    assertThat(keys(defs.get("sensor").get("properties"))).isEqualTo(ProfileReader.SENSOR_KEYS);
    assertThat(keys(defs.get("workload").get("properties"))).isEqualTo(ProfileReader.WORKLOAD_KEYS);
    assertThat(keys(defs.get("curtailment").get("properties")))
        .isEqualTo(ProfileReader.CURTAILMENT_KEYS);
    assertThat(keys(defs.get("curvePoint").get("properties"))).isEqualTo(ProfileReader.POINT_KEYS);
    assertThat(keys(defs.get("temperatureLimit").get("properties")))
        .isEqualTo(ProfileReader.TEMPERATURE_KEYS);
  }

  private static Set<String> keys(JsonNode object) {
    Set<String> out = new java.util.TreeSet<>();
    object.fieldNames().forEachRemaining(out::add);
    return Set.copyOf(out);
  }

  private static void collectUndescribed(JsonNode node, String at, List<String> out) {
    if (!node.isObject()) {
      return;
    }
    JsonNode properties = node.get("properties");
    if (properties != null && properties.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        // Conditional subschemas (if/then) only restate properties described elsewhere.
        if (!at.contains("allOf") && !e.getValue().has("description")) {
          out.add(at + "/properties/" + e.getKey());
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isArray()) {
        for (int i = 0; i < e.getValue().size(); i++) {
          collectUndescribed(e.getValue().get(i), at + "/" + e.getKey() + "/" + i, out);
        }
      } else {
        collectUndescribed(e.getValue(), at + "/" + e.getKey(), out);
      }
    }
  }
}
