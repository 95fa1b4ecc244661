package io.flexrig.controller.grpc;

import io.flexrig.controller.store.AuditEntry;
import io.flexrig.controller.store.AuditLog;
import io.flexrig.proto.v1.FleetServiceGrpc;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call what, decided once per call from the client certificate of the TLS session (the
 * transport already checked it against the site CA) and, for the grid door, a bearer token.
 *
 * <ul>
 *   <li>Identity: the certificate subject's CN (an agent's CN is its rig id). Role: its OU ({@code
 *       agent}, {@code grid-operator}, {@code monitor}). Site: a subject alternative name URI
 *       {@code urn:flexrig:site:<id>}.
 *   <li>{@code FleetService}: agent certificates only; the hello must name the certificate's rig
 *       and site.
 *   <li>{@code GridService}: never agent certificates. Grid-operator certificates may do
 *       everything; monitor certificates may only read (Get, List, Watch, compliance reports).
 *       {@code authorization: Bearer <token>} with a configured token grants grid-operator to any
 *       other site certificate; a wrong token is UNAUTHENTICATED (never silently downgraded).
 *   <li>Health: any site certificate.
 * </ul>
 *
 * <p>In plaintext development mode (loopback only) every call runs as {@link Caller#DEVELOPER}.
 * Refused grid calls are written to the audit log.
 */
public final class AccessControl implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";
  private static final Set<String> GRID_READS =
      Set.of(
          GridServiceGrpc.getGetEventStatusMethod().getFullMethodName(),
          GridServiceGrpc.getListCurtailmentEventsMethod().getFullMethodName(),
          GridServiceGrpc.getWatchEventMethod().getFullMethodName(),
          GridServiceGrpc.getGetSiteStatusMethod().getFullMethodName(),
          GridServiceGrpc.getGetComplianceReportMethod().getFullMethodName(),
          GridServiceGrpc.getGetPriceStatusMethod().getFullMethodName());
  private static final Logger log = LoggerFactory.getLogger(AccessControl.class);

  private final boolean plaintext;
  private final GridTokens tokens;
  private final AuditLog audit;
  private final Clock clock;

  /**
   * @param plaintext development mode: no TLS, every call allowed as {@link Caller#DEVELOPER}
   * @param tokens bearer tokens granting the grid-operator role
   * @param audit where refused grid calls are recorded
   */
  public AccessControl(boolean plaintext, GridTokens tokens, AuditLog audit, Clock clock) {
    this.plaintext = plaintext;
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (plaintext) {
      return proceed(Caller.DEVELOPER, call, headers, next);
    }
    String method = call.getMethodDescriptor().getFullMethodName();
    String service = call.getMethodDescriptor().getServiceName();
    Optional<CertificateIdentity> id =
        identity(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (id.isEmpty()) {
      return refuse(
          call, Status.UNAUTHENTICATED.withDescription("a client certificate is required"), "", "");
    }
    CertificateIdentity who = id.get();
    if (HealthGrpc.SERVICE_NAME.equals(service)) {
      return proceed(
          new Caller(who.cn(), who.role().orElse(Role.MONITOR), "certificate"),
          call,
          headers,
          next);
    }
    if (FleetServiceGrpc.SERVICE_NAME.equals(service)) {
      if (who.role().orElse(null) != Role.AGENT) {
        return refuse(
            call,
            Status.PERMISSION_DENIED.withDescription(
                "FleetService needs an agent certificate (OU=agent); '"
                    + who.cn()
                    + "' has OU="
                    + who.ous()),
            who.cn(),
            who.ous().toString());
      }
      return proceed(
          new Caller(who.cn(), Role.AGENT, "certificate", who.site()), call, headers, next);
    }
    if (!GridServiceGrpc.SERVICE_NAME.equals(service)) {
      return refuse(
          call,
          Status.PERMISSION_DENIED.withDescription("no access to " + service),
          who.cn(),
          who.ous().toString());
    }
    if (who.role().orElse(null) == Role.AGENT) {
      return refuse(
          call,
          Status.PERMISSION_DENIED.withDescription(
              "agent certificates may only call FleetService, not " + method),
          who.cn(),
          Role.AGENT.ou());
    }
    Role role = who.role().orElse(null);
    String via = "certificate";
    String authorization = headers.get(AUTHORIZATION);
    if (authorization != null) {
      Optional<String> token =
          authorization.startsWith(BEARER)
              ? tokens.match(authorization.substring(BEARER.length()).strip())
              : Optional.empty();
      if (token.isEmpty()) {
        return refuse(
            call,
            Status.UNAUTHENTICATED.withDescription("the grid token is not valid"),
            who.cn(),
            who.ous().toString());
      }
      role = Role.GRID_OPERATOR;
      via = "token:" + token.get();
    }
    if (role == null) {
      return refuse(
          call,
          Status.PERMISSION_DENIED.withDescription(
              "GridService needs a grid-operator or monitor certificate, or a grid token; '"
                  + who.cn()
                  + "' has OU="
                  + who.ous()),
          who.cn(),
          who.ous().toString());
    }
    if (role == Role.MONITOR && !GRID_READS.contains(method)) {
      return refuse(
          call,
          Status.PERMISSION_DENIED.withDescription(
              "the monitor role may only read (Get, List, Watch), not "
                  + call.getMethodDescriptor().getBareMethodName()),
          who.cn(),
          Role.MONITOR.ou());
    }
    return proceed(new Caller(who.cn(), role, via), call, headers, next);
  }

  private static <Q, R> ServerCall.Listener<Q> proceed(
      Caller caller, ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return Contexts.interceptCall(
        Context.current().withValue(Caller.KEY, caller), call, headers, next);
  }

  private <Q, R> ServerCall.Listener<Q> refuse(
      ServerCall<Q, R> call, Status status, String actor, String role) {
    String method = call.getMethodDescriptor().getFullMethodName();
    log.warn("Refused {} for '{}': {}", method, actor, status);
    if (GridServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
        && !GRID_READS.contains(method)) {
      audit.record(
          new AuditEntry(
              clock.instant(),
              actor.isEmpty() ? "unauthenticated" : actor,
              role,
              call.getMethodDescriptor().getBareMethodName(),
              "",
              status.getCode().name(),
              status.getDescription()));
    }
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static Optional<CertificateIdentity> identity(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return Optional.empty();
      }
      return Optional.of(CertificateIdentity.of(leaf));
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  /** The parts of a client certificate's subject (and site URI) that matter here. */
  record CertificateIdentity(String cn, List<String> ous, List<String> sites) {

    /** How a certificate names its site, as a subject alternative name URI. */
    static final String SITE_URI_PREFIX = "urn:flexrig:site:";

    private static final int SAN_URI = 6;

    static CertificateIdentity of(X509Certificate cert) {
      String cn = "";
      List<String> ous = new ArrayList<>();
      try {
        for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            cn = String.valueOf(rdn.getValue());
          } else if (rdn.getType().equalsIgnoreCase("OU")) {
            ous.add(String.valueOf(rdn.getValue()));
          }
        }
      } catch (InvalidNameException e) {
        // a subject the JDK printed but cannot parse back: no identity, no role
      }
      List<String> sites = new ArrayList<>();
      try {
        var sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
          for (List<?> san : sans) {
            if (san.size() == 2
                && Integer.valueOf(SAN_URI).equals(san.get(0))
                && san.get(1) instanceof String uri
                && uri.startsWith(SITE_URI_PREFIX)) {
              sites.add(uri.substring(SITE_URI_PREFIX.length()));
            }
          }
        }
      } catch (CertificateParsingException e) {
        // unreadable extension: no site
      }
      return new CertificateIdentity(cn, List.copyOf(ous), List.copyOf(sites));
    }

    /** The one site the certificate names; empty when it names none or several. */
    String site() {
      return sites.size() == 1 ? sites.get(0) : "";
    }

    /** The one role the certificate names; none when it names none or several. */
    Optional<Role> role() {
      List<Role> roles = ous.stream().flatMap(ou -> Role.ofOu(ou).stream()).distinct().toList();
      return roles.size() == 1 ? Optional.of(roles.get(0)) : Optional.empty();
    }
  }
}
