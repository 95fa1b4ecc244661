package io.flexrig.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb files the build made, read with dpkg-deb and installed, upgraded and purged with dpkg
 * into a throwaway root ({@code dpkg --root --force-script-chrootless}: the maintainer scripts run
 * on this machine with DPKG_ROOT set, no container, no chroot).
 */
@Tag("integration")
class DebPackagesTest {
  static final Path AGENT_DEB = Path.of(System.getProperty("flexrig.agent.deb"));
  static final Path CONTROLLER_DEB = Path.of(System.getProperty("flexrig.controller.deb"));

  @BeforeEach
  void needsDpkg() {
    assumeTrue(Command.onPath("dpkg-deb") && Command.onPath("dpkg"), "dpkg is not installed");
  }

  @Test
  void agentPackageInstallsUnderOptWithConfigStateUnitAndUdevRules() throws Exception {
    Set<String> paths = contents(AGENT_DEB);
    assertThat(paths)
        .contains(
            "/opt/flexrig/bin/flexrig-agent",
            "/opt/flexrig/lib/agent/flexrig-agent-0.1.0-SNAPSHOT.jar",
            "/opt/flexrig/lib/agent/jna-5.17.0.jar",
            "/opt/flexrig/lib/agent/flexrig-logfmt-0.1.0-SNAPSHOT.jar",
            "/opt/flexrig/lib/agent/flexrig-metrics-http-0.1.0-SNAPSHOT.jar",
            "/opt/flexrig/hardware-profiles/antminer-s19j-pro.yaml",
            "/etc/flexrig/agent.yaml",
            "/var/lib/flexrig/",
            "/lib/systemd/system/flexrig-agent.service",
            "/lib/udev/rules.d/60-flexrig.rules",
            "/usr/lib/tmpfiles.d/flexrig-agent.conf");
    assertThat(paths)
        .as("the agent ships only its own runtime closure")
        .noneMatch(p -> p.contains("flyway") || p.contains("postgresql") || p.contains("junit"));
    assertThat(Command.ok(List.of("dpkg-deb", "--contents", AGENT_DEB.toString())))
        .containsPattern("-rwxr-xr-x root/root .* \\./opt/flexrig/bin/flexrig-agent\\n");
    assertThat(field(AGENT_DEB, "Architecture")).isEqualTo("all");
    assertThat(field(AGENT_DEB, "Depends"))
        .startsWith(
            "openjdk-21-jre-headless | openjdk-25-jre-headless | temurin-21-jre | temurin-25-jdk"
                + " | java21-runtime-headless");
    assertThat(Command.ok(List.of("dpkg-deb", "--info", AGENT_DEB.toString(), "conffiles")))
        .isEqualTo("/etc/flexrig/agent.yaml\n");
  }

  @Test
  void controllerPackageCanBeInstalledBesideTheAgent() throws Exception {
    Set<String> controller = contents(CONTROLLER_DEB);
    assertThat(controller)
        .contains(
            "/opt/flexrig/bin/flexrig-controller",
            "/opt/flexrig/lib/controller/flexrig-controller-0.1.0-SNAPSHOT.jar",
            "/opt/flexrig/lib/controller/flexrig-metrics-http-0.1.0-SNAPSHOT.jar",
            "/etc/flexrig/controller.properties",
            "/lib/systemd/system/flexrig-controller.service");
    Set<String> sharedFiles =
        controller.stream()
            .filter(p -> !p.endsWith("/"))
            .filter(contents(AGENT_DEB)::contains)
            .collect(Collectors.toSet());
    assertThat(sharedFiles).as("files owned by both packages would conflict").isEmpty();
    assertThat(Command.ok(List.of("dpkg-deb", "--info", CONTROLLER_DEB.toString(), "conffiles")))
        .isEqualTo("/etc/flexrig/controller.properties\n");
  }

  @Test
  void maintainerScriptsAreValidShellAndManageTheUserAndUnit(@TempDir Path dir) throws Exception {
    for (Path deb : List.of(AGENT_DEB, CONTROLLER_DEB)) {
      Path control = dir.resolve(deb.getFileName().toString());
      Command.ok(List.of("dpkg-deb", "--control", deb.toString(), control.toString()));
      for (String script : List.of("postinst", "prerm", "postrm")) {
        Path file = control.resolve(script);
        assertThat(Files.isExecutable(file)).as(script).isTrue();
        Command.ok(List.of("sh", "-n", file.toString()));
      }
      assertThat(Files.readString(control.resolve("postinst")))
          .contains("useradd", "--system", "enable", "DPKG_ROOT")
          .doesNotContainPattern("(?m)^\\s*systemctl (--root=\"\\$ROOT\" )?start");
      assertThat(Files.readString(control.resolve("prerm"))).contains("systemctl stop");
      assertThat(Files.readString(control.resolve("postrm"))).contains("purge", "userdel");
    }
  }

  @Test
  void installUpgradeAndPurgeInAThrowawayRoot(@TempDir Path dir) throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "useradd/groupadd --prefix in the maintainer scripts need root");
    Path root = emptyDebianRoot(dir.resolve("root"));

    dpkg(root, "--install", AGENT_DEB.toString());
    assertThat(Files.isExecutable(root.resolve("opt/flexrig/bin/flexrig-agent"))).isTrue();
    assertThat(Files.exists(root.resolve("opt/flexrig/hardware-profiles/antminer-s21.yaml")))
        .isTrue();
    String passwd = Files.readString(root.resolve("etc/passwd"));
    assertThat(passwd)
        .containsPattern("(?m)^flexrig:x:\\d+:\\d+:.*:/var/lib/flexrig:/usr/sbin/nologin$");
    String group = Files.readString(root.resolve("etc/group"));
    assertThat(group)
        .containsPattern("(?m)^gpio:x:\\d+:flexrig$")
        .containsPattern("(?m)^i2c:x:\\d+:flexrig$")
        .containsPattern("(?m)^spi:x:\\d+:flexrig$");
    int uid = idOf(passwd, "flexrig");
    assertThat(Files.getAttribute(root.resolve("var/lib/flexrig"), "unix:uid")).isEqualTo(uid);
    assertThat(Files.getAttribute(root.resolve("etc/flexrig/agent.yaml"), "unix:gid"))
        .isEqualTo(idOf(group, "flexrig"));
    Path wants = root.resolve("etc/systemd/system/multi-user.target.wants/flexrig-agent.service");
    assertThat(Files.isSymbolicLink(wants)).as("enabled on first install").isTrue();

    // The technician's edit survives the upgrade; files the new version dropped are removed.
    Files.writeString(root.resolve("etc/flexrig/agent.yaml"), "rig_id: site-b-r2\n");
    Path upgrade = repack(AGENT_DEB, dir.resolve("upgrade"), "0.1.1");
    dpkg(root, "--install", upgrade.toString());
    assertThat(status(root, "flexrig-agent"))
        .contains("Version: 0.1.1", "Status: install ok installed");
    assertThat(Files.readString(root.resolve("etc/flexrig/agent.yaml")))
        .isEqualTo("rig_id: site-b-r2\n");
    assertThat(Files.exists(root.resolve("opt/flexrig/hardware-profiles/antminer-s21.yaml")))
        .isFalse();
    assertThat(idOf(Files.readString(root.resolve("etc/passwd")), "flexrig")).isEqualTo(uid);

    dpkg(root, "--purge", "flexrig-agent");
    assertThat(filesUnder(root.resolve("opt/flexrig"))).isEmpty();
    assertThat(Files.exists(root.resolve("etc/flexrig/agent.yaml"))).isFalse();
    assertThat(Files.exists(root.resolve("var/lib/flexrig"))).isFalse();
    assertThat(Files.exists(wants, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(root.resolve("etc/passwd"))).doesNotContain("flexrig");
    assertThat(Files.readString(root.resolve("etc/group")))
        .doesNotContainPattern("(?m)^flexrig:")
        .as("the bus groups stay for other software")
        .containsPattern("(?m)^gpio:");
  }

  @Test
  void theUserStaysWhileTheOtherPackageIsInstalled(@TempDir Path dir) throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "useradd/groupadd --prefix in the maintainer scripts need root");
    Path root = emptyDebianRoot(dir.resolve("root"));
    dpkg(root, "--install", AGENT_DEB.toString(), CONTROLLER_DEB.toString());
    assertThat(Files.exists(root.resolve("etc/flexrig/controller.properties"))).isTrue();
    dpkg(root, "--purge", "flexrig-agent");
    assertThat(Files.readString(root.resolve("etc/passwd"))).contains("flexrig:");
    assertThat(Files.isDirectory(root.resolve("var/lib/flexrig"))).isTrue();
    dpkg(root, "--purge", "flexrig-controller");
    assertThat(Files.readString(root.resolve("etc/passwd"))).doesNotContain("flexrig");
    assertThat(Files.exists(root.resolve("var/lib/flexrig"))).isFalse();
  }

  private static Path emptyDebianRoot(Path root) throws Exception {
    for (String d :
        List.of(
            "var/lib/dpkg/info",
            "var/lib/dpkg/updates",
            "var/lib/dpkg/triggers",
            "var/log",
            "etc")) {
      Files.createDirectories(root.resolve(d));
    }
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    Files.writeString(root.resolve("var/lib/dpkg/available"), "");
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
    Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
    Files.writeString(root.resolve("etc/gshadow"), "root:*::\n");
    return root;
  }

  private static void dpkg(Path root, String... args) throws Exception {
    // --force-depends: the throwaway root has no Java runtime package.
    List<String> argv =
        Stream.concat(
                Stream.of("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends"),
                Stream.of(args))
            .toList();
    System.out.println(Command.ok(argv));
  }

  private static String status(Path root, String pkg) throws Exception {
    return Command.ok(List.of("dpkg", "--root=" + root, "--status", pkg));
  }

  /** The same package at another version, without one hardware profile. */
  private static Path repack(Path deb, Path dir, String version) throws Exception {
    Path tree = dir.resolve("tree");
    Files.createDirectories(dir);
    Command.ok(List.of("dpkg-deb", "--raw-extract", deb.toString(), tree.toString()));
    Path control = tree.resolve("DEBIAN/control");
    Files.writeString(
        control,
        Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + version));
    Files.delete(tree.resolve("opt/flexrig/hardware-profiles/antminer-s21.yaml"));
    Path md5 = tree.resolve("DEBIAN/md5sums");
    Files.writeString(
        md5,
        Files.readString(md5)
            .lines()
            .filter(l -> !l.endsWith("antminer-s21.yaml"))
            .collect(Collectors.joining("\n", "", "\n")));
    Path out = dir.resolve("flexrig-agent_" + version + "_all.deb");
    Command.ok(
        List.of("dpkg-deb", "--root-owner-group", "--build", tree.toString(), out.toString()));
    return out;
  }

  private static Set<String> contents(Path deb) throws Exception {
    return Command.ok(List.of("dpkg-deb", "--contents", deb.toString()))
        .lines()
        .map(l -> l.substring(l.indexOf("./") + 1))
        .map(p -> p.contains(" -> ") ? p.substring(0, p.indexOf(" -> ")) : p)
        .collect(Collectors.toSet());
  }

  private static String field(Path deb, String name) throws Exception {
    return Command.ok(List.of("dpkg-deb", "--field", deb.toString(), name)).strip();
  }

  private static int idOf(String table, String name) {
    return table
        .lines()
        .filter(l -> l.startsWith(name + ":"))
        .map(l -> Integer.parseInt(l.split(":")[2]))
        .findFirst()
        .orElseThrow();
  }

  private static List<Path> filesUnder(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
