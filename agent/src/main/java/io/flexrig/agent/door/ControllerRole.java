package io.flexrig.agent.door;

import io.flexrig.proto.v1.AgentServiceGrpc;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Only callers with the controller role may use {@code AgentService}: a client certificate (already
 * checked against the site CA by the TLS transport) whose OU is {@code controller} or {@code
 * grid-operator}. Health and reflection are open to any site certificate, so standard gRPC tools
 * can look at a rig. In plaintext development mode (loopback only) every call is allowed.
 */
final class ControllerRole implements ServerInterceptor {
  static final Set<String> ROLES = Set.of("controller", "grid-operator");

  private final boolean plaintext;

  ControllerRole(boolean plaintext) {
    this.plaintext = plaintext;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (plaintext) {
      return next.startCall(call, headers);
    }
    List<String> ous =
        organizationalUnits(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (ous == null) {
      return refuse(
          call, Status.UNAUTHENTICATED.withDescription("a client certificate is required"));
    }
    boolean agentService =
        AgentServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName());
    if (agentService && ous.stream().noneMatch(ROLES::contains)) {
      return refuse(
          call,
          Status.PERMISSION_DENIED.withDescription(
              "AgentService needs a certificate with OU=controller or OU=grid-operator; this one"
                  + " has OU="
                  + ous));
    }
    return next.startCall(call, headers);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** The OUs of the peer's certificate subject; null without a verified client certificate. */
  static List<String> organizationalUnits(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return null;
      }
      List<String> ous = new ArrayList<>();
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("OU")) {
          ous.add(String.valueOf(rdn.getValue()));
        }
      }
      return ous;
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return null;
    }
  }
}
