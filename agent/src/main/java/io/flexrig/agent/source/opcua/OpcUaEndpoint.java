package io.flexrig.agent.source.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Opens a Milo client on one OPC UA endpoint with the agent's {@link OpcUaSecurity}: the endpoint
 * of the configured policy and mode only (never a weaker one), the agent's certificate, and the
 * server's certificate checked against the trust list read at this attempt. The session and the
 * probe's browser connect through here, so both refuse the same servers.
 */
final class OpcUaEndpoint {
  private static final String DEFAULT_APPLICATION_URI = "urn:flexrig:agent";

  private OpcUaEndpoint() {}

  /**
   * Connects and returns the connected client.
   *
   * @throws OpcUaRefusedException when security refuses the connection (no endpoint with the
   *     configured policy, an untrusted server, or the server refusing this agent's certificate)
   * @throws UaException when the server cannot be reached or fails otherwise
   */
  static OpcUaClient connect(String endpointUrl, OpcUaSecurity security, String applicationName)
      throws UaException, OpcUaRefusedException {
    String host = EndpointUtil.getHost(endpointUrl);
    int port = EndpointUtil.getPort(endpointUrl);
    SecurityPolicy policy = security.secure() ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None;
    MessageSecurityMode mode =
        security.secure() ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None;
    AtomicReference<List<EndpointDescription>> offered = new AtomicReference<>(List.of());
    AtomicReference<X509Certificate> rejected = new AtomicReference<>();
    MemoryTrustListManager trustList = new MemoryTrustListManager();
    if (security.secure()) {
      try {
        trustList.setTrustedCertificates(security.trustedServerCertificates());
      } catch (IOException e) {
        throw new OpcUaRefusedException(
            "cannot read the OPC UA trust list " + security.trustDirectory() + ": " + e, e);
      }
    }
    OpcUaClient client;
    try {
      client =
          OpcUaClient.create(
              endpointUrl,
              endpoints -> {
                offered.set(List.copyOf(endpoints));
                return endpoints.stream()
                    .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()))
                    .filter(e -> e.getSecurityMode() == mode)
                    .findFirst()
                    // servers often advertise a host name that does not resolve from the rig
                    .map(e -> EndpointUtil.updateUrl(e, host, port));
              },
              transport -> {},
              config -> {
                config
                    .setApplicationName(LocalizedText.english(applicationName))
                    .setApplicationUri(applicationUri(security))
                    .setRequestTimeout(uint(5000));
                if (security.secure()) {
                  config
                      .setKeyPair(security.keyPair())
                      .setCertificate(security.certificate())
                      .setCertificateChain(
                          security.certificateChain().toArray(X509Certificate[]::new))
                      .setCertificateValidator(
                          recording(
                              new DefaultClientCertificateValidator(
                                  trustList, new MemoryCertificateQuarantine()),
                              rejected));
                }
              });
    } catch (UaException e) {
      if (!offered.get().isEmpty() && noneMatches(offered.get(), policy, mode)) {
        throw new OpcUaRefusedException(
            endpointUrl
                + " offers no "
                + policy.name()
                + "/"
                + mode
                + " endpoint (it offers "
                + describe(offered.get())
                + "); refusing to connect with weaker security",
            e);
      }
      throw e;
    }
    try {
      client.connect();
      return client;
    } catch (UaException e) {
      disconnectQuietly(client);
      X509Certificate server = rejected.get();
      if (server != null) {
        throw new OpcUaRefusedException(
            "the server certificate of "
                + endpointUrl
                + " is not trusted ("
                + server.getSubjectX500Principal().getName()
                + ", SHA-1 "
                + OpcUaSecurity.thumbprint(server)
                + "): copy it into the trust list "
                + security.trustDirectory()
                + " if it is the site's server",
            e);
      }
      if (security.secure() && refusedByServer(e)) {
        throw new OpcUaRefusedException(
            endpointUrl
                + " refused this agent's certificate ("
                + security.certificate().getSubjectX500Principal().getName()
                + ", SHA-1 "
                + OpcUaSecurity.thumbprint(security.certificate())
                + ", "
                + e.getStatusCode()
                + "): add it to the server's trusted client certificates",
            e);
      }
      throw e;
    }
  }

  /** The application URI must be the one in the certificate, or the server refuses the session. */
  private static String applicationUri(OpcUaSecurity security) {
    if (!security.secure()) {
      return DEFAULT_APPLICATION_URI;
    }
    return CertificateUtil.getSanUri(security.certificate()).orElse(DEFAULT_APPLICATION_URI);
  }

  private static CertificateValidator recording(
      CertificateValidator delegate, AtomicReference<X509Certificate> rejected) {
    return (chain, applicationUri, hostnames) -> {
      try {
        delegate.validateCertificateChain(chain, applicationUri, hostnames);
      } catch (UaException e) {
        rejected.set(chain.isEmpty() ? null : chain.getFirst());
        throw e;
      }
    };
  }

  private static boolean noneMatches(
      List<EndpointDescription> endpoints, SecurityPolicy policy, MessageSecurityMode mode) {
    return endpoints.stream()
        .noneMatch(
            e -> policy.getUri().equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode);
  }

  private static String describe(List<EndpointDescription> endpoints) {
    return String.join(
        ", ",
        endpoints.stream()
            .map(
                e ->
                    SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri())
                            .map(Enum::name)
                            .orElse(e.getSecurityPolicyUri())
                        + "/"
                        + e.getSecurityMode())
            .distinct()
            .toList());
  }

  private static boolean refusedByServer(UaException e) {
    Optional<StatusCode> status = UaException.extractStatusCode(e);
    if (status.isEmpty()) {
      return false;
    }
    long code = status.get().value();
    return code == StatusCodes.Bad_SecurityChecksFailed
        || code == StatusCodes.Bad_CertificateUntrusted
        || code == StatusCodes.Bad_CertificateInvalid
        || code == StatusCodes.Bad_CertificateUriInvalid
        || code == StatusCodes.Bad_CertificateUseNotAllowed
        || code == StatusCodes.Bad_SecurityPolicyRejected;
  }

  private static void disconnectQuietly(OpcUaClient client) {
    try {
      client.disconnect();
    } catch (UaException | RuntimeException e) {
      // nothing was established; nothing to release
    }
  }
}
