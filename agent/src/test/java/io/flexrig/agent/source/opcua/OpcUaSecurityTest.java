package io.flexrig.agent.source.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.opcua.SiteOpcUaServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic256Sha256 between the agent and the simulator's Milo server, both directions of trust, over
 * real sockets. Key pairs are made once for the class: RSA generation is the slow part.
 */
@Tag("integration")
class OpcUaSecurityTest {
  private static final String OUTLET = "opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW";

  @TempDir static Path pki;

  private static TestCertificates.Identity agent;
  private static TestCertificates.Identity server;
  private static TestCertificates.Identity stranger;

  private final SimulatedRig rig = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 3);
  private final Map<String, Reading> latest = new ConcurrentHashMap<>();
  private SiteOpcUaServer site;
  private OpcUaSession session;

  @BeforeAll
  static void makeCertificates() throws Exception {
    agent = identity("agent", "urn:flexrig:agent:rig-1");
    server = identity("server", "urn:flexrig:sim:site");
    stranger = identity("stranger", "urn:example:stranger");
  }

  @AfterEach
  void close() {
    if (session != null) {
      session.close();
    }
    if (site != null) {
      site.close();
    }
  }

  @Test
  void readingsFlowOverBasic256Sha256WhenEachSideTrustsTheOther() throws Exception {
    site = secureSite(List.of(agent.certificate()), false);
    session = watchOutlet(agentSecurity(trustDir("trusts-server", server)));

    await().atMost(15, TimeUnit.SECONDS).until(() -> latest.containsKey("outlet_power"));
    assertThat(latest.get("outlet_power").quality()).isEqualTo(Quality.GOOD);
    assertThat(latest.get("outlet_power").value()).isCloseTo(rig.powerW(), within(5.0));
    assertThat(session.status().state()).isEqualTo(OpcUaSession.State.CONNECTED);
  }

  @Test
  void anUntrustedServerCertificateIsRefusedWithBadReadingsAndAClearReason() throws Exception {
    site = secureSite(List.of(agent.certificate()), true);
    session = watchOutlet(agentSecurity(trustDir("trusts-stranger", stranger)));

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> session.status().state() == OpcUaSession.State.REFUSED);
    assertThat(session.status().detail())
        .contains("not trusted")
        .contains(OpcUaSecurity.thumbprint(server.certificate()));
    await().atMost(5, TimeUnit.SECONDS).until(() -> latest.containsKey("outlet_power"));
    assertThat(latest.get("outlet_power").quality()).isEqualTo(Quality.BAD);
  }

  @Test
  void aServerCertificateCopiedIntoTheTrustListIsUsedAtTheNextAttempt() throws Exception {
    site = secureSite(List.of(agent.certificate()), false);
    Path trust = trustDir("trusted-later");
    session = watchOutlet(agentSecurity(trust));
    List<OpcUaSession.State> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
    session.onStatusChange((from, to) -> changes.add(to.state()));
    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> session.status().state() == OpcUaSession.State.REFUSED);

    Files.copy(server.certFile(), trust.resolve("site.crt"));

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> latest.get("outlet_power").quality() == Quality.GOOD);
    assertThat(changes)
        .containsSubsequence(OpcUaSession.State.REFUSED, OpcUaSession.State.CONNECTED);
  }

  @Test
  void anAgentNotOnTheServersTrustListIsRefused() throws Exception {
    site = secureSite(List.of(stranger.certificate()), false);
    session = watchOutlet(agentSecurity(trustDir("trusts-server-2", server)));

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> session.status().state() == OpcUaSession.State.REFUSED);
    assertThat(session.status().detail()).contains("refused this agent's certificate");
    assertThat(latest.get("outlet_power").quality()).isEqualTo(Quality.BAD);
  }

  @Test
  void aSecureAgentNeverFallsBackToNone() throws Exception {
    site = new SiteOpcUaServer(List.of(rig), 0).start();
    session = watchOutlet(agentSecurity(trustDir("trusts-server-3", server)));

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> session.status().state() == OpcUaSession.State.REFUSED);
    assertThat(session.status().detail()).contains("offers no Basic256Sha256");
    assertThat(latest.get("outlet_power").quality()).isEqualTo(Quality.BAD);
  }

  @Test
  void securityPolicyNoneStillWorksForLabs() {
    site = secureSite(List.of(agent.certificate()), true);
    session = watchOutlet(OpcUaSecurity.NONE);

    await().atMost(15, TimeUnit.SECONDS).until(() -> latest.containsKey("outlet_power"));
    assertThat(latest.get("outlet_power").quality()).isEqualTo(Quality.GOOD);
  }

  @Test
  void theBrowserRefusesAnUntrustedServerToo() throws Exception {
    site = secureSite(List.of(agent.certificate()), false);
    OpcUaSecurity security = agentSecurity(trustDir("trusts-nobody"));

    assertThatThrownBy(() -> new OpcUaBrowser(4, 100).browse(site.endpointUrl(), security))
        .hasMessageContaining("not trusted");
    assertThat(
            new OpcUaBrowser(4, 100)
                .browse(site.endpointUrl(), agentSecurity(trustDir("trusts-server-4", server))))
        .extracting(OpcUaBrowser.Variable::address)
        .contains(OUTLET);
  }

  @Test
  void aKeyThatDoesNotBelongToTheCertificateIsRejectedAtLoad() {
    assertThatThrownBy(
            () ->
                OpcUaSecurity.basic256Sha256(
                    agent.certFile(), stranger.keyFile(), pki.toFile().toPath()))
        .hasMessageContaining("does not belong");
  }

  private SiteOpcUaServer secureSite(List<X509Certificate> trustedClients, boolean offerNone) {
    return new SiteOpcUaServer(
            List.of(rig),
            0,
            new SiteOpcUaServer.Security(
                server.keyPair(), server.certificate(), trustedClients, offerNone))
        .start();
  }

  private OpcUaSession watchOutlet(OpcUaSecurity security) {
    OpcUaSession s =
        new OpcUaSession(site.endpointUrl(), security, Duration.ofMillis(200), Clock.systemUTC());
    new OpcUaNodeSource("outlet_power", "W", OpcUaNodeAddress.parse(OUTLET), s)
        .start(r -> latest.put(r.name(), r));
    return s;
  }

  private static OpcUaSecurity agentSecurity(Path trustDir) throws Exception {
    return OpcUaSecurity.basic256Sha256(agent.certFile(), agent.keyFile(), trustDir);
  }

  private static Path trustDir(String name, TestCertificates.Identity... trusted) throws Exception {
    Path dir = Files.createDirectories(pki.resolve(name));
    for (TestCertificates.Identity i : trusted) {
      Files.copy(i.certFile(), dir.resolve(i.certFile().getFileName()));
    }
    return dir;
  }

  private static TestCertificates.Identity identity(String name, String applicationUri)
      throws Exception {
    return TestCertificates.create(pki, name, applicationUri);
  }
}
