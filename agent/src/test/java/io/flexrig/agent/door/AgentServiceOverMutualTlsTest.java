package io.flexrig.agent.door;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.proto.v1.AgentServiceGrpc;
import io.flexrig.proto.v1.GetRigRequest;
import io.flexrig.proto.v1.GetSnapshotRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * AgentService as a site runs it: mutual TLS with certificates from {@code scripts/flexrig-pki.sh}
 * and the controller role. The acceptance test drives the rig from a foreign client (Node's
 * grpc-js) that knows only the .proto files.
 */
@Tag("integration")
class AgentServiceOverMutualTlsTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path REPO = MODULE.getParent();
  private static final Path NODE_CLIENT = MODULE.resolve("src/test/node");

  @TempDir static Path pki;
  private static DoorRig rig;

  @BeforeAll
  static void start() throws Exception {
    pkiScript("ca", pki.toString(), "test");
    // the door's own server certificate (serverAuth, localhost / 127.0.0.1), named after the rig
    pkiScript("agent-api", pki.toString(), DoorRig.RIG);
    pkiScript("fleet-manager", pki.toString(), "site-fm");
    pkiScript("grid-operator", pki.toString(), "alice");
    pkiScript("monitor", pki.toString(), "bob");
    pkiScript("agent", pki.toString(), "rig-9");
    rig =
        new DoorRig(
            AgentApiSettings.mutualTls(
                0,
                AgentApiSettings.DEFAULT_BIND,
                pki.resolve("agent-api-" + DoorRig.RIG + ".crt"),
                pki.resolve("agent-api-" + DoorRig.RIG + ".key"),
                pki.resolve("ca.crt")));
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  @Test
  void foreignNodeClientReadsWatchesAndDrivesTheRigToItsTarget() throws Exception {
    ensureNodeModules();
    ProcessBuilder pb =
        new ProcessBuilder(
                "node",
                "client.js",
                rig.target(),
                REPO.resolve("proto/src/main/proto").toString(),
                "2500")
            .directory(NODE_CLIENT.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("FLEXRIG_CA", pki.resolve("ca.crt").toString());
    pb.environment().put("FLEXRIG_CERT", pki.resolve("grid-operator-alice.crt").toString());
    pb.environment().put("FLEXRIG_KEY", pki.resolve("grid-operator-alice.key").toString());
    Process node = pb.start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("node client finished").isTrue();
    assertThat(node.exitValue()).as("node client exit status; stdout: %s", out).isZero();

    @SuppressWarnings("unchecked")
    Map<String, Object> json =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build())
                .loadFromString(out.strip().lines().toList().getLast());
    assertThat(json)
        .containsEntry("rig_id", DoorRig.RIG)
        .containsEntry("profile_id", "antminer-s19j-pro");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> watched = (List<Map<String, Object>>) json.get("watched");
    assertThat(watched).hasSize(3);
    @SuppressWarnings("unchecked")
    Map<String, Object> ack = (Map<String, Object>) json.get("ack");
    assertThat(ack).containsEntry("accepted", true).containsEntry("clamped", false);
    assertThat(((Number) ack.get("applied_power_w")).doubleValue()).isEqualTo(2500);
    @SuppressWarnings("unchecked")
    Map<String, Object> reached = (Map<String, Object>) json.get("reached");
    assertThat(reached).as("the measured power reached the target").isNotNull();
    assertThat(reached).containsEntry("power_quality", "QUALITY_GOOD");
    assertThat(((Number) reached.get("power_w")).doubleValue()).isLessThanOrEqualTo(2575);
    assertThat(reached).containsEntry("state", "RIG_STATE_CURTAILED");
    assertThat(rig.site.rig(DoorRig.RIG).powerTargetW()).isEqualTo(2500);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> active = (List<Map<String, Object>>) json.get("active");
    assertThat(active)
        .singleElement()
        .satisfies(c -> assertThat(c).containsEntry("source", "agent-api"));
  }

  @Test
  void callerWithTheControllerRoleMayUseAgentService() throws Exception {
    for (String caller : List.of("controller-site-fm", "grid-operator-alice")) {
      assertCanCall(caller);
    }
  }

  private void assertCanCall(String caller) throws Exception {
    ManagedChannel channel = channel(caller);
    try {
      var stub = AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      assertThat(stub.getRig(GetRigRequest.getDefaultInstance()).getRig().getRigId())
          .isEqualTo(DoorRig.RIG);
      assertThat(AgentServiceTest.reflectedServices(channel))
          .contains(AgentServiceGrpc.SERVICE_NAME);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void callerWithoutTheControllerRoleIsDeniedButMayCheckHealth() throws Exception {
    for (String who : List.of("monitor-bob", "agent-rig-9")) {
      ManagedChannel channel = channel(who);
      try {
        var stub = AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> stub.getSnapshot(GetSnapshotRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                  assertThat(e.getStatus().getDescription()).contains("OU=controller");
                });
        assertThat(
                HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance())
                    .getStatus())
            .isEqualTo(ServingStatus.SERVING);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static ManagedChannel channel(String client) throws IOException {
    ChannelCredentials creds =
        TlsChannelCredentials.newBuilder()
            .keyManager(
                pki.resolve(client + ".crt").toFile(), pki.resolve(client + ".key").toFile())
            .trustManager(pki.resolve("ca.crt").toFile())
            .build();
    return Grpc.newChannelBuilder(rig.target(), creds).build();
  }

  private static void pkiScript(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("bash", REPO.resolve("scripts/flexrig-pki.sh").toString()));
    command.addAll(List.of(args));
    run(command, REPO);
  }

  /** Installs the client's locked dependencies once per checkout (CI does it up front). */
  private static synchronized void ensureNodeModules() throws Exception {
    if (Files.isDirectory(NODE_CLIENT.resolve("node_modules/@grpc/grpc-js"))
        && Files.isDirectory(NODE_CLIENT.resolve("node_modules/@grpc/proto-loader"))) {
      return;
    }
    run(List.of("npm", "ci", "--no-audit", "--no-fund"), NODE_CLIENT);
  }

  private static void run(List<String> command, Path dir) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(p.exitValue()).as("%s failed: %s", command, out).isZero();
  }
}
