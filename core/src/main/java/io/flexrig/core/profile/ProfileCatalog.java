package io.flexrig.core.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

/**
 * All known rig models, by id. A new model needs nothing but its YAML file: {@link #load(Path)}
 * takes every {@code *.yaml} of a directory, and the build packages the repository's {@code
 * hardware-profiles/} (with a generated index) for {@link #builtIn()}.
 */
public final class ProfileCatalog {
  /** Classpath folder of the packaged profiles. */
  public static final String RESOURCE_DIR = "flexrig/hardware-profiles/";

  /** Classpath resource listing the packaged profile files, one name per line. */
  public static final String RESOURCE_INDEX = RESOURCE_DIR + "index.txt";

  private final Map<String, HardwareProfile> byId;

  private ProfileCatalog(Map<String, HardwareProfile> byId) {
    this.byId = byId;
  }

  /** A catalog of profiles already loaded; ids must be unique. */
  public static ProfileCatalog of(Collection<HardwareProfile> profiles) {
    Map<String, HardwareProfile> map = new TreeMap<>();
    for (HardwareProfile p : profiles) {
      if (map.putIfAbsent(p.id(), p) != null) {
        throw new IllegalArgumentException("duplicate profile id " + p.id());
      }
    }
    return new ProfileCatalog(map);
  }

  /**
   * Loads every {@code *.yaml} file of a directory (not its subdirectories).
   *
   * @throws ProfileException with the errors of all files together
   */
  public static ProfileCatalog load(Path directory) throws ProfileException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.yaml")) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new ProfileException(
          List.of(
              new ProfileError(
                  directory.toString(), 0, ProfileLoader.FILE_FIELD, "cannot list: " + e)));
    }
    files.sort(null);
    List<HardwareProfile> profiles = new ArrayList<>();
    List<ProfileError> errors = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        profiles.add(ProfileLoader.load(file));
      } catch (ProfileException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new ProfileException(errors);
    }
    return of(profiles);
  }

  /**
   * The profiles packaged in this jar under {@value #RESOURCE_DIR}, so the agent and the demo run
   * without a checkout of the repository.
   *
   * @throws IllegalStateException if the packaged profiles are missing or invalid (a build defect)
   */
  public static ProfileCatalog builtIn() {
    ClassLoader loader = ProfileCatalog.class.getClassLoader();
    List<String> names = new ArrayList<>();
    try (InputStream index = loader.getResourceAsStream(RESOURCE_INDEX)) {
      if (index == null) {
        throw new IllegalStateException("no " + RESOURCE_INDEX + " on the classpath");
      }
      new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))
          .lines()
          .map(String::strip)
          .filter(n -> !n.isEmpty() && !n.startsWith("#"))
          .forEach(names::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<HardwareProfile> profiles = new ArrayList<>();
    List<ProfileError> errors = new ArrayList<>();
    for (String name : names) {
      String resource = RESOURCE_DIR + name;
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE_INDEX + " lists " + name + " but it is missing");
        }
        profiles.add(
            ProfileLoader.load(
                "classpath:" + resource, new InputStreamReader(in, StandardCharsets.UTF_8)));
      } catch (ProfileException e) {
        errors.addAll(e.errors());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "packaged hardware profiles are invalid", new ProfileException(errors));
    }
    return of(profiles);
  }

  public Optional<HardwareProfile> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * The profile with this id.
   *
   * @throws NoSuchElementException naming the known ids
   */
  public HardwareProfile require(String id) {
    HardwareProfile p = byId.get(id);
    if (p == null) {
      throw new NoSuchElementException(
          "no hardware profile '" + id + "'; known: " + String.join(", ", byId.keySet()));
    }
    return p;
  }

  /** Every profile, sorted by id. */
  public List<HardwareProfile> all() {
    return List.copyOf(byId.values());
  }

  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  public int size() {
    return byId.size();
  }
}
