package io.flexrig.agent.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDrivers;
import io.flexrig.agent.source.opcua.OpcUaSecurity;
import io.flexrig.agent.source.opcua.TestCertificates;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.opcua.SiteOpcUaServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe says when OPC UA security, not the network, keeps the meter out. */
@Tag("integration")
class ProbeOpcUaSecurityTest {

  @Test
  void aSecurityRefusalFailsTheSensorWithTheReasonAndTheCertificateFix(@TempDir Path pki)
      throws Exception {
    TestCertificates.Identity me = TestCertificates.create(pki, "agent", "urn:flexrig:agent:r");
    Path trusted = Files.createDirectories(pki.resolve("trusted"));
    SimulatedRig rig = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 3);
    try (SiteOpcUaServer server = new SiteOpcUaServer(List.of(rig), 0).start();
        SourceContext context =
            SourceContext.builder()
                .opcUaEndpointUrl(server.endpointUrl())
                .service(
                    OpcUaSecurity.class, () -> basic256Sha256(me.certFile(), me.keyFile(), trusted))
                .build()) {
      Probe probe = new Probe(SourceDrivers.load(), context, Duration.ofSeconds(10));

      ProbeResult result =
          probe.probe(
              new SensorSpec("grid_frequency", SimulatedSite.gridFrequencyNode(), Map.of()));

      assertThat(result.outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
      assertThat(result.problem()).contains("offers no Basic256Sha256");
      assertThat(result.fix()).contains("opcua_trust_dir");
    }
  }

  private static OpcUaSecurity basic256Sha256(Path cert, Path key, Path trusted) {
    try {
      return OpcUaSecurity.basic256Sha256(cert, key, trusted);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
