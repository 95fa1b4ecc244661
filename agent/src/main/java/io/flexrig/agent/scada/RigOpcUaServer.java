package io.flexrig.agent.scada;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;

import io.flexrig.agent.source.opcua.OpcUaSecurity;
import io.flexrig.agent.status.RigStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rig served to a site's SCADA over OPC UA (Eclipse Milo): one endpoint, anonymous, read-only,
 * either SecurityPolicy None or Basic256Sha256 with SignAndEncrypt (never both, so a secure rig
 * cannot be read in the clear). The address space is {@link RigNamespace}'s.
 */
public final class RigOpcUaServer implements ScadaPublisher {
  private static final Logger log = LoggerFactory.getLogger(RigOpcUaServer.class);
  static final String PATH = "/flexrig";

  private final OpcUaServer server;
  private final RigNamespace namespace;
  private final String endpointUrl;

  private RigOpcUaServer(OpcUaServer server, RigNamespace namespace, String endpointUrl) {
    this.server = server;
    this.namespace = namespace;
    this.endpointUrl = endpointUrl;
  }

  /**
   * Starts the server with the rig's first status. Returns the publisher type only, so callers
   * never name (and load) Milo's server classes unless they start one.
   *
   * @throws IllegalStateException when the server cannot start (port taken, certificate unusable)
   */
  public static ScadaPublisher start(ScadaSettings settings, RigStatus initial) {
    int attempts = settings.port() == 0 ? 3 : 1;
    IllegalStateException last = null;
    for (int i = 0; i < attempts; i++) {
      int port = settings.port() == 0 ? freePort(settings.bindAddress()) : settings.port();
      try {
        return startOn(settings, port, initial);
      } catch (IllegalStateException e) {
        last = e; // the free port was taken between probing and binding: try another
      }
    }
    throw last;
  }

  private static RigOpcUaServer startOn(ScadaSettings settings, int port, RigStatus initial) {
    OpcUaSecurity security = settings.security();
    String rigId = initial.identity().rigId();
    KeyPair keyPair;
    X509Certificate certificate;
    List<X509Certificate> trustedClients;
    if (security.secure()) {
      keyPair = security.keyPair();
      certificate = security.certificate();
      try {
        trustedClients = security.trustedServerCertificates();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the trusted client certificates", e);
      }
    } else {
      // SecurityPolicy None still needs an application instance certificate in the endpoints
      KeyPair generated = SelfSigned.keyPair();
      keyPair = generated;
      certificate = SelfSigned.certificate(generated, rigId);
      trustedClients = List.of();
    }
    String applicationUri =
        CertificateUtil.getSanUri(certificate).orElse("urn:flexrig:agent:" + rigId);
    var trustList = new MemoryTrustListManager();
    trustList.setTrustedCertificates(trustedClients);
    var quarantine = new MemoryCertificateQuarantine();
    var certificateFactory =
        new RsaSha256CertificateFactory() {
          @Override
          protected KeyPair createRsaSha256KeyPair() {
            return keyPair;
          }

          @Override
          protected X509Certificate[] createRsaSha256CertificateChain(KeyPair kp) {
            return security.secure()
                ? security.certificateChain().toArray(X509Certificate[]::new)
                : new X509Certificate[] {certificate};
          }
        };
    DefaultApplicationGroup group;
    try {
      group =
          DefaultApplicationGroup.createAndInitialize(
              trustList,
              new MemoryCertificateStore(),
              certificateFactory,
              new DefaultServerCertificateValidator(trustList, quarantine));
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up the OPC UA server certificate", e);
    }
    EndpointConfig endpoint =
        EndpointConfig.newBuilder()
            .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
            .setBindAddress(settings.bindAddress())
            .setBindPort(port)
            .setHostname(settings.advertisedHost())
            .setPath(PATH)
            .setCertificate(certificate)
            .setSecurityPolicy(
                security.secure() ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None)
            .setSecurityMode(
                security.secure() ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None)
            .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS)
            .build();
    OpcUaServerConfig config =
        OpcUaServerConfig.builder()
            .setApplicationUri(applicationUri)
            .setApplicationName(LocalizedText.english("Flexrig agent " + rigId))
            .setProductUri("urn:flexrig:agent")
            .setBuildInfo(
                new BuildInfo(
                    "urn:flexrig:agent",
                    "flexrig",
                    "Flexrig rig agent",
                    initial.identity().agentVersion(),
                    "",
                    DateTime.now()))
            .setEndpoints(Set.of(endpoint))
            .setCertificateManager(new DefaultCertificateManager(quarantine, group))
            .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
            .build();
    OpcUaServer server =
        new OpcUaServer(
            config,
            profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
    RigNamespace namespace = new RigNamespace(server, initial);
    namespace.startup();
    try {
      server.startup().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(server, namespace);
      throw new IllegalStateException("interrupted while starting the OPC UA server", e);
    } catch (ExecutionException | TimeoutException e) {
      stop(server, namespace);
      throw new IllegalStateException(
          "OPC UA server did not start on " + settings.bindAddress() + ":" + port, e);
    }
    String url = "opc.tcp://" + settings.advertisedHost() + ":" + port + PATH;
    log.info(
        "event=opcua_server_started endpoint={} security={}", url, security.mode().configName());
    return new RigOpcUaServer(server, namespace, url);
  }

  @Override
  public void publish(RigStatus status) {
    namespace.publish(status);
  }

  @Override
  public String endpointUrl() {
    return endpointUrl;
  }

  @Override
  public void close() {
    stop(server, namespace);
  }

  private static void stop(OpcUaServer server, RigNamespace namespace) {
    namespace.shutdown();
    try {
      server.shutdown().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("event=opcua_server_stop_failed reason={}", e.toString());
    }
  }

  private static int freePort(String bindAddress) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + bindAddress, e);
    }
  }

  /** The None endpoint's certificate: made once per process, RSA key generation is slow. */
  private static final class SelfSigned {
    private static KeyPair keyPair;

    static synchronized KeyPair keyPair() {
      if (keyPair == null) {
        try {
          keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        } catch (Exception e) {
          throw new IllegalStateException("cannot create the OPC UA server key", e);
        }
      }
      return keyPair;
    }

    static X509Certificate certificate(KeyPair keyPair, String rigId) {
      try {
        return new SelfSignedCertificateBuilder(keyPair)
            .setCommonName("Flexrig agent " + rigId)
            .setOrganization("flexrig")
            .setApplicationUri("urn:flexrig:agent:" + rigId)
            .addDnsName("localhost")
            .addIpAddress("127.0.0.1")
            .build();
      } catch (Exception e) {
        throw new IllegalStateException("cannot create the OPC UA server certificate", e);
      }
    }
  }
}
