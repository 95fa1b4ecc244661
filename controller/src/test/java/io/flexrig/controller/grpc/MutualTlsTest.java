package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.ControllerTls;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.GetSiteStatusRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller behind mutual TLS, with certificates issued by {@code scripts/flexrig-pki.sh}: who
 * may call what, decided by the client certificate (and a grid token).
 */
@Tag("integration")
class MutualTlsTest {

  private static final String SITE = "site-1";
  private static final AtomicInteger WINDOW = new AtomicInteger();

  @TempDir static Path pki;
  @TempDir static Path other;
  @TempDir static Path data;
  private static FleetController controller;
  private static String gridToken;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<ScriptedAgent> agents = new ArrayList<>();

  @BeforeAll
  static void issueCertificatesAndStart() throws Exception {
    pkiScript("ca", pki, "test-site");
    pkiScript("controller", pki);
    pkiScript("agent", pki, "rig-1", SITE);
    pkiScript("agent", pki, "rig-2", SITE);
    pkiScript("agent", pki, "rig-3", "site-2");
    pkiScript("grid-operator", pki, "ercot-desk");
    pkiScript("monitor", pki, "noc");
    gridToken = pkiScript("grid-token", pki).strip();
    pkiScript("ca", other, "other-site");
    pkiScript("agent", other, "rig-1");
    controller =
        new FleetController(
                new ControllerConfig(
                        0, data.resolve("c.db"), true, Duration.ofMillis(200), Clock.systemUTC())
                    .withTls(
                        new ControllerTls(
                            pki.resolve("controller.crt"),
                            pki.resolve("controller.key"),
                            pki.resolve("ca.crt"),
                            pki.resolve("grid-tokens"))))
            .start();
  }

  @AfterAll
  static void stopController() {
    if (controller != null) {
      controller.close();
    }
  }

  @AfterEach
  void closeClients() throws InterruptedException {
    for (ScriptedAgent a : agents) {
      a.close();
    }
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Runs the site's PKI script (as an operator would) and returns what it printed. */
  static String pkiScript(String command, Path dir, String... rest)
      throws IOException, InterruptedException {
    return pkiScript(command, dir, List.of(rest));
  }

  private static String pkiScript(String command, Path dir, List<String> rest)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(Path.of("../scripts/flexrig-pki.sh").toAbsolutePath().normalize().toString());
    cmd.add(command);
    cmd.add(dir.toString());
    cmd.addAll(rest);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out;
  }

  private static ChannelCredentials certificate(Path dir, String name) throws IOException {
    return TlsChannelCredentials.newBuilder()
        .keyManager(dir.resolve(name + ".crt").toFile(), dir.resolve(name + ".key").toFile())
        .trustManager(pki.resolve("ca.crt").toFile())
        .build();
  }

  private ManagedChannel channel(ChannelCredentials credentials) {
    ManagedChannel c =
        Grpc.newChannelBuilderForAddress("127.0.0.1", controller.port(), credentials).build();
    channels.add(c);
    return c;
  }

  private GridServiceGrpc.GridServiceBlockingStub grid(ChannelCredentials credentials) {
    return GridServiceGrpc.newBlockingStub(channel(credentials))
        .withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  private static GridServiceGrpc.GridServiceBlockingStub bearer(
      GridServiceGrpc.GridServiceBlockingStub stub, String token) {
    Metadata headers = new Metadata();
    headers.put(AccessControl.AUTHORIZATION, "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private ScriptedAgent agent(Path dir, String certificate, String claimedRigId)
      throws IOException {
    ScriptedAgent a =
        new ScriptedAgent(controller.port(), certificate(dir, certificate), claimedRigId, 3000, 20);
    agents.add(a);
    a.hello(ScriptedAgent.asicHello(claimedRigId, SITE, 3000, 29.5, 2000));
    return a;
  }

  private static CreateCurtailmentEventRequest event() {
    // Each test's event gets its own hour, so they never overlap on the shared controller.
    Instant start = Instant.now().plusSeconds(600 + 7200L * WINDOW.incrementAndGet());
    return CreateCurtailmentEventRequest.newBuilder()
        .setSiteId(SITE)
        .setRequestId("req-" + System.nanoTime())
        .setReduceByKw(1)
        .setStartAt(at(start))
        .setResponseTimeS(600)
        .setEndAt(at(start.plusSeconds(3600)))
        .setProgram("test")
        .build();
  }

  private static Timestamp at(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  private void rigOneKnown() throws Exception {
    ScriptedAgent a = agent(pki, "agent-rig-1", "rig-1");
    a.helloAccepted.get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAgentWithItsOwnCertificateConnectsAndItsSamplesAreAcked() throws Exception {
    ScriptedAgent a = agent(pki, "agent-rig-1", "rig-1");

    assertThat(a.helloAccepted.get(10, TimeUnit.SECONDS)).isNotNull();
    a.sendSamples(1, 2, 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> a.ackedThrough.get() == 3);
  }

  @Test
  void anAgentClaimingAnotherRigIdIsPermissionDenied() throws Exception {
    ScriptedAgent a = agent(pki, "agent-rig-2", "rig-1");

    Status status = a.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).contains("rig-2").contains("rig-1");
    assertThat(a.helloAccepted).isNotDone();
  }

  @Test
  void anAgentClaimingAnotherSiteThanItsCertificateIsPermissionDenied() throws Exception {
    // rig-3's certificate binds it to site-2; its hello claims site-1 (forged), so it could be
    // dispatched in site-1's events.
    ScriptedAgent a = agent(pki, "agent-rig-3", "rig-3");

    Status status = a.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).contains("site-2").contains(SITE);
    assertThat(a.helloAccepted).isNotDone();
  }

  @Test
  void anAgentOfItsCertificatesSiteIsAccepted() throws Exception {
    ScriptedAgent a =
        new ScriptedAgent(controller.port(), certificate(pki, "agent-rig-3"), "rig-3", 3000, 20);
    agents.add(a);
    a.hello(ScriptedAgent.asicHello("rig-3", "site-2", 3000, 29.5, 2000));

    assertThat(a.helloAccepted.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aGridOperatorCertificateCannotJoinAsAnAgent() throws Exception {
    ScriptedAgent a = agent(pki, "grid-operator-ercot-desk", "ercot-desk");

    Status status = a.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).contains("OU=agent");
  }

  @Test
  void anAgentCertificateCannotCallTheGridService() throws Exception {
    assertThatThrownBy(
            () ->
                grid(certificate(pki, "agent-rig-1"))
                    .listCurtailmentEvents(
                        ListCurtailmentEventsRequest.newBuilder().setSiteId(SITE).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).contains("FleetService");
            });
    // Not even with a valid grid token: an agent's key on a rig must never steer the site.
    assertThatThrownBy(
            () ->
                bearer(grid(certificate(pki, "agent-rig-1")), gridToken)
                    .createCurtailmentEvent(event()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void aGridOperatorCertificateCreatesAndCancelsEventsAndTheAuditLogSaysWho() throws Exception {
    rigOneKnown();
    var operator = grid(certificate(pki, "grid-operator-ercot-desk"));

    CurtailmentEvent created = operator.createCurtailmentEvent(event());
    CurtailmentEvent cancelled =
        operator.cancelCurtailmentEvent(
            io.flexrig.proto.v1.CancelCurtailmentEventRequest.newBuilder()
                .setEventId(created.getEventId())
                .build());

    assertThat(created.getState()).isEqualTo(EventState.EVENT_STATE_SCHEDULED);
    assertThat(cancelled.getState()).isEqualTo(EventState.EVENT_STATE_CANCELLED);
    awaitAudit(
        lines ->
            assertThat(lines)
                .anySatisfy(
                    l ->
                        assertThat(l)
                            .contains(
                                "ercot-desk", "grid-operator", "CreateCurtailmentEvent", "OK"))
                .anySatisfy(
                    l ->
                        assertThat(l)
                            .contains(
                                "ercot-desk",
                                "CancelCurtailmentEvent",
                                "OK",
                                created.getEventId())));
  }

  @Test
  void aGridTokenGrantsTheOperatorRoleAndAWrongOneIsUnauthenticated() throws Exception {
    rigOneKnown();
    var monitor = grid(certificate(pki, "monitor-noc"));

    CurtailmentEvent created = bearer(monitor, gridToken).createCurtailmentEvent(event());
    assertThat(created.getState()).isEqualTo(EventState.EVENT_STATE_SCHEDULED);

    assertThatThrownBy(
            () ->
                bearer(monitor, gridToken.replace('a', 'b') + "x").createCurtailmentEvent(event()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    awaitAudit(
        lines ->
            assertThat(lines)
                .anySatisfy(
                    l -> assertThat(l).contains("noc (token:", "CreateCurtailmentEvent", "OK"))
                .anySatisfy(l -> assertThat(l).contains("noc", "UNAUTHENTICATED")));
  }

  @Test
  void aMonitorReadsButCannotCreateEvents() throws Exception {
    rigOneKnown();
    var monitor = grid(certificate(pki, "monitor-noc"));

    assertThat(
            monitor
                .getSiteStatus(GetSiteStatusRequest.newBuilder().setSiteId(SITE).build())
                .getRigsKnown())
        .isPositive();
    int before =
        monitor
            .listCurtailmentEvents(
                ListCurtailmentEventsRequest.newBuilder().setSiteId(SITE).setLimit(1000).build())
            .getEventsCount();
    assertThatThrownBy(() -> monitor.createCurtailmentEvent(event()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).contains("only read");
            });
    assertThat(
            monitor
                .listCurtailmentEvents(
                    ListCurtailmentEventsRequest.newBuilder()
                        .setSiteId(SITE)
                        .setLimit(1000)
                        .build())
                .getEventsCount())
        .isEqualTo(before);
    awaitAudit(
        lines ->
            assertThat(lines)
                .anySatisfy(
                    l ->
                        assertThat(l)
                            .contains(
                                "noc", "monitor", "CreateCurtailmentEvent", "PERMISSION_DENIED")));
  }

  @Test
  void anyCertificateOfTheSiteMayCheckHealth() throws Exception {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel(certificate(pki, "agent-rig-1")))
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());

    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void withoutAClientCertificateTheHandshakeFails() throws Exception {
    ChannelCredentials anonymous =
        TlsChannelCredentials.newBuilder().trustManager(pki.resolve("ca.crt").toFile()).build();

    assertThatThrownBy(
            () ->
                HealthGrpc.newBlockingStub(channel(anonymous))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void aCertificateOfAnotherSitesCaIsRefusedAtTheHandshake() throws Exception {
    ScriptedAgent a = agent(other, "agent-rig-1", "rig-1");

    Status status = a.closed.get(10, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(a.helloAccepted).isNotDone();
  }

  @Test
  void aPlaintextClientGetsNothing() {
    ManagedChannel plain =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), io.grpc.InsecureChannelCredentials.create())
            .build();
    channels.add(plain);

    assertThatThrownBy(
            () ->
                HealthGrpc.newBlockingStub(plain)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
  }

  /** Audit writes go through the store's writer thread: wait until the expected lines landed. */
  private static void awaitAudit(ThrowingConsumer<List<String>> expectation) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> expectation.accept(auditLines()));
  }

  private static List<String> auditLines() throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("c.db"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT actor, actor_role, action, subject, result, detail FROM audit_log")) {
      while (rs.next()) {
        StringBuilder line = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
          line.append(rs.getString(i)).append(" | ");
        }
        lines.add(line.toString());
      }
    }
    return lines;
  }
}
