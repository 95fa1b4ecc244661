package io.flexrig.sim.opcua;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;

import io.flexrig.sim.SimulatedRig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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

/**
 * The site's meter and PDU as an OPC UA server (Eclipse Milo), anonymous, bound to 127.0.0.1:
 * SecurityPolicy None by default; with a {@link Security} it offers Basic256Sha256 (SignAndEncrypt)
 * with its own certificate and accepts only the client certificates in its trust list, and None
 * beside it only if asked. Node ids (namespace {@value #NAMESPACE_URI}, string identifiers):
 *
 * <ul>
 *   <li>{@code Site.Meter.ActivePowerW} (Double): all rigs' wall power plus the site base load
 *   <li>{@code Site.Meter.FrequencyHz} (Double): grid frequency, 60 Hz nominal with small noise
 *   <li>{@code PDU.OutletNN.ActivePowerW} (Double): rig NN's wall power (NN from 01)
 *   <li>{@code PDU.OutletNN.On} (Boolean, writable): false opens rig NN's relay
 * </ul>
 */
public final class SiteOpcUaServer implements AutoCloseable {

  public static final String NAMESPACE_URI = "urn:flexrig:sim";

  /** Share of the rigs' nameplate power drawn by lights, cooling and networking. */
  public static final double BASE_LOAD_FRACTION = 0.02;

  public static final double NOMINAL_FREQUENCY_HZ = 60.0;

  private static final String PATH = "/flexrig-sim";
  private static final String APPLICATION_URI = "urn:flexrig:sim:site";
  private static final double FREQUENCY_NOISE_HZ = 0.003;

  /**
   * The server's side of Basic256Sha256.
   *
   * @param keyPair the server's key pair
   * @param certificate its application instance certificate (its SAN URI becomes the server's
   *     application URI)
   * @param trustedClients the client certificates it accepts; any other client is refused
   * @param offerNone also offer SecurityPolicy None (a lab server serving old and new clients)
   */
  public record Security(
      KeyPair keyPair,
      X509Certificate certificate,
      List<X509Certificate> trustedClients,
      boolean offerNone) {
    public Security {
      java.util.Objects.requireNonNull(keyPair, "keyPair");
      java.util.Objects.requireNonNull(certificate, "certificate");
      trustedClients = List.copyOf(trustedClients);
    }
  }

  private final List<SimulatedRig> rigs;
  private final int requestedPort;
  private final Security security;
  private final double baseLoadW;
  private final Random noise = new Random(60);
  private volatile double gridFrequencyHz = NOMINAL_FREQUENCY_HZ;
  private volatile OpcUaServer server;
  private volatile SiteNamespace namespace;
  private volatile int port;

  /**
   * @param rigs the rigs on outlets 01, 02, ... in this order
   * @param port TCP port on 127.0.0.1; 0 picks a free one
   */
  public SiteOpcUaServer(List<SimulatedRig> rigs, int port) {
    this(rigs, port, null);
  }

  /**
   * @param rigs the rigs on outlets 01, 02, ... in this order
   * @param port TCP port on 127.0.0.1; 0 picks a free one
   * @param security Basic256Sha256 settings, or null for SecurityPolicy None only
   */
  public SiteOpcUaServer(List<SimulatedRig> rigs, int port, Security security) {
    this.rigs = List.copyOf(rigs);
    this.requestedPort = port;
    this.security = security;
    this.baseLoadW =
        BASE_LOAD_FRACTION
            * this.rigs.stream().mapToDouble(r -> r.profile().nameplate().powerW()).sum();
  }

  /** The outlet folder name of the 1-based outlet number: {@code Outlet07}. */
  public static String outletName(int outlet) {
    return String.format(Locale.ROOT, "Outlet%02d", outlet);
  }

  /** Starts the server; returns this for chaining. Takes well under a second after the first. */
  public SiteOpcUaServer start() {
    int attempts = requestedPort == 0 ? 3 : 1;
    RuntimeException last = null;
    for (int i = 0; i < attempts; i++) {
      int candidate = requestedPort == 0 ? freePort() : requestedPort;
      try {
        startOn(candidate);
        return this;
      } catch (RuntimeException e) {
        // Another process took the free port between probing and binding: try another.
        last = e;
        stopQuietly();
      }
    }
    throw last;
  }

  private void startOn(int candidate) {
    ServerIdentity identity =
        security == null
            ? ServerIdentity.get()
            : new ServerIdentity(security.keyPair(), security.certificate());
    String applicationUri =
        security == null
            ? APPLICATION_URI
            : CertificateUtil.getSanUri(security.certificate()).orElse(APPLICATION_URI);
    var trustList = new MemoryTrustListManager();
    if (security != null) {
      trustList.setTrustedCertificates(security.trustedClients());
    }
    var quarantine = new MemoryCertificateQuarantine();
    var certificateFactory =
        new RsaSha256CertificateFactory() {
          @Override
          protected KeyPair createRsaSha256KeyPair() {
            return identity.keyPair();
          }

          @Override
          protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) {
            return new X509Certificate[] {identity.certificate()};
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

    Set<EndpointConfig> endpoints = new LinkedHashSet<>();
    if (security == null || security.offerNone()) {
      endpoints.add(endpoint(candidate, identity, SecurityPolicy.None, MessageSecurityMode.None));
    }
    if (security != null) {
      endpoints.add(
          endpoint(
              candidate,
              identity,
              SecurityPolicy.Basic256Sha256,
              MessageSecurityMode.SignAndEncrypt));
    }

    OpcUaServerConfig config =
        OpcUaServerConfig.builder()
            .setApplicationUri(applicationUri)
            .setApplicationName(LocalizedText.english("Flexrig simulated site"))
            .setProductUri("urn:flexrig:sim")
            .setBuildInfo(
                new BuildInfo(
                    "urn:flexrig:sim",
                    "flexrig",
                    "flexrig simulated site",
                    OpcUaServer.SDK_VERSION,
                    "",
                    DateTime.now()))
            .setEndpoints(endpoints)
            .setCertificateManager(new DefaultCertificateManager(quarantine, group))
            .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
            .build();

    OpcUaServer s =
        new OpcUaServer(
            config,
            transportProfile ->
                new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
    SiteNamespace ns = new SiteNamespace(s, rigs, this::siteMeterPowerW, this::gridFrequencyHz);
    server = s;
    namespace = ns;
    ns.startup();
    try {
      s.startup().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the OPC UA server", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("OPC UA server did not start on port " + candidate, e);
    }
    port = candidate;
  }

  private static EndpointConfig endpoint(
      int port, ServerIdentity identity, SecurityPolicy policy, MessageSecurityMode mode) {
    return EndpointConfig.newBuilder()
        .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
        .setBindAddress("127.0.0.1")
        .setBindPort(port)
        .setHostname("127.0.0.1")
        .setPath(PATH)
        .setCertificate(identity.certificate())
        .setSecurityPolicy(policy)
        .setSecurityMode(mode)
        .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS)
        .build();
  }

  private static int freePort() {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** {@code opc.tcp://127.0.0.1:PORT/flexrig-sim}; valid after {@link #start()}. */
  public String endpointUrl() {
    if (port == 0) {
      throw new IllegalStateException("not started");
    }
    return "opc.tcp://127.0.0.1:" + port + PATH;
  }

  public int port() {
    return port;
  }

  /**
   * Sets the grid frequency the meter reports (before noise), e.g. 59.65 for an under-frequency.
   */
  public void setGridFrequencyHz(double hz) {
    gridFrequencyHz = hz;
  }

  /** The frequency as the meter reads it now: the set grid frequency plus measurement noise. */
  public double gridFrequencyHz() {
    return gridFrequencyHz + FREQUENCY_NOISE_HZ * (2 * noise.nextDouble() - 1);
  }

  /** What the site meter reads: every rig's wall power plus the site's base load. */
  public double siteMeterPowerW() {
    double sum = baseLoadW;
    for (SimulatedRig rig : rigs) {
      sum += rig.powerW();
    }
    return sum;
  }

  /** Shuts the server down, dropping sessions at once. */
  @Override
  public void close() {
    stopQuietly();
  }

  private void stopQuietly() {
    SiteNamespace ns = namespace;
    OpcUaServer s = server;
    namespace = null;
    server = null;
    if (ns != null) {
      ns.shutdown();
    }
    if (s != null) {
      try {
        s.shutdown().get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // shutting down anyway; nothing else to release
      }
    }
  }

  /** One key pair and self-signed certificate per process: RSA key generation is slow. */
  private record ServerIdentity(KeyPair keyPair, X509Certificate certificate) {
    private static volatile ServerIdentity instance;

    static ServerIdentity get() {
      ServerIdentity identity = instance;
      if (identity == null) {
        synchronized (ServerIdentity.class) {
          identity = instance;
          if (identity == null) {
            identity = create();
            instance = identity;
          }
        }
      }
      return identity;
    }

    private static ServerIdentity create() {
      try {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate =
            new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("Flexrig simulated site")
                .setOrganization("flexrig")
                .setApplicationUri(APPLICATION_URI)
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1")
                .build();
        return new ServerIdentity(keyPair, certificate);
      } catch (Exception e) {
        throw new IllegalStateException("cannot create the OPC UA server certificate", e);
      }
    }
  }
}
