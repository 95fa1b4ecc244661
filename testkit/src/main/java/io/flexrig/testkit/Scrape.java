package io.flexrig.testkit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A /metrics page as the independent parser read it.
 *
 * @param contentType the Content-Type the endpoint answered with
 * @param families families by name: type and samples
 */
public record Scrape(String contentType, Map<String, Family> families) {

  public record Family(String type, String help, List<Sample> samples) {}

  public record Sample(Map<String, String> labels, double value) {}

  /** Reads the JSON that {@link NodeTools#scrape} returns. */
  public static Scrape of(JsonElement json) {
    JsonObject root = json.getAsJsonObject();
    Map<String, Family> families = new LinkedHashMap<>();
    for (JsonElement f : root.getAsJsonArray("families")) {
      JsonObject family = f.getAsJsonObject();
      List<Sample> samples =
          family.getAsJsonArray("metrics").asList().stream()
              .map(JsonElement::getAsJsonObject)
              .map(
                  m -> {
                    Map<String, String> labels = new TreeMap<>();
                    if (m.has("labels")) {
                      m.getAsJsonObject("labels")
                          .entrySet()
                          .forEach(e -> labels.put(e.getKey(), e.getValue().getAsString()));
                    }
                    return new Sample(labels, Double.parseDouble(m.get("value").getAsString()));
                  })
              .toList();
      families.put(
          family.get("name").getAsString(),
          new Family(family.get("type").getAsString(), family.get("help").getAsString(), samples));
    }
    return new Scrape(root.get("contentType").getAsString(), families);
  }

  /** The one sample of {@code family} whose labels include {@code labels}. */
  public Sample sample(String family, String... labels) {
    Family f = families.get(family);
    if (f == null) {
      throw new AssertionError("no family " + family + " in " + families.keySet());
    }
    List<Sample> matching =
        f.samples().stream()
            .filter(
                s -> {
                  for (int i = 0; i < labels.length; i += 2) {
                    if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                      return false;
                    }
                  }
                  return true;
                })
            .toList();
    if (matching.size() != 1) {
      throw new AssertionError(
          family + " " + List.of(labels) + ": expected one sample, got " + f.samples());
    }
    return matching.getFirst();
  }

  /** The value of the one sample of {@code family} whose labels include {@code labels}. */
  public double value(String family, String... labels) {
    return sample(family, labels).value();
  }
}
