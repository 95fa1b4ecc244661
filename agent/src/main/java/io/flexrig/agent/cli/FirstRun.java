package io.flexrig.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What {@code flexrig-agent run} says when the rig has no configuration yet. */
final class FirstRun {
  private FirstRun() {}

  /** {@code $FLEXRIG_HOME/hardware-profiles}, where the package installs the profiles. */
  static Path profilesDirectory() {
    String home = System.getenv("FLEXRIG_HOME");
    return Path.of(home == null || home.isBlank() ? "/opt/flexrig" : home, "hardware-profiles");
  }

  static String guide(Path config, Path profiles) {
    StringBuilder b = new StringBuilder(2048);
    b.append("flexrig-agent: no configuration at ").append(config).append(".\n\n");
    b.append("Each rig's agent reads one file, ")
        .append(FlexrigAgentCommand.DEFAULT_CONFIG)
        .append(" by default\n(another path: flexrig-agent run PATH). A minimal one:\n\n");
    b.append(
        """
          rig_id: site-a-r1-s07                  # unique within the controller
          site_id: site-a                        # the site the rig draws its power from
          profile: %s/antminer-s19j-pro.yaml
          controller: controller.site-a.example:7443
          tls_cert: pki/agent-site-a-r1-s07.crt  # scripts/flexrig-pki.sh agent DIR <rig id>
          tls_key: pki/agent-site-a-r1-s07.key
          tls_ca: pki/ca.crt
          state_dir: /var/lib/flexrig            # keeps accepted commands across restarts
          sensors:                               # this rig's addresses, by sensor role
            miner_api: cgminer://192.0.2.17:4028

        """
            .formatted(profiles));
    b.append("Pick the profile of the rig's model");
    List<String> names = profileNames(profiles);
    if (names.isEmpty()) {
      b.append(" (one YAML file per model, see hardware-profiles/ in the source tree).\n");
    } else {
      b.append(" from ").append(profiles).append(":\n");
      for (String name : names) {
        b.append("  ").append(name).append('\n');
      }
    }
    b.append(
        """

        Then:
          flexrig-agent profile validate PROFILE   checks a profile (file:line: field: message)
          flexrig-agent probe %s       opens every sensor once and says what answers
          systemctl restart flexrig-agent          runs it as a service
        Every setting is documented in the sample agent.yaml the package installs.
        """
            .formatted(config));
    return b.toString();
  }

  private static List<String> profileNames(Path profiles) {
    if (!Files.isDirectory(profiles)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(profiles)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
