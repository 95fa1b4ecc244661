package io.flexrig.controller.grpc;

import io.grpc.Context;
import java.util.Objects;

/**
 * Who is calling, as established by {@link AccessControl} from the TLS session (and a bearer
 * token), carried in the gRPC {@link Context} of the call.
 *
 * @param name the certificate's CN (for an agent: its rig id), or {@code dev-plaintext}
 * @param role what the caller may do
 * @param via how the role was granted: {@code certificate}, {@code token:<fingerprint>}, {@code
 *     plaintext}
 * @param site the site the certificate names ({@code urn:flexrig:site:<id>}); empty when none
 */
public record Caller(String name, Role role, String via, String site) {

  static final Context.Key<Caller> KEY = Context.key("flexrig-caller");

  /** The caller of the plaintext development mode (no identity). */
  public static final Caller DEVELOPER = new Caller("dev-plaintext", Role.DEVELOPER, "plaintext");

  public Caller {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(via, "via");
    site = site == null ? "" : site;
  }

  /** A caller whose certificate names no site. */
  public Caller(String name, Role role, String via) {
    this(name, role, via, "");
  }

  /** The caller of the current call; {@link #DEVELOPER} when no interceptor ran (in-process). */
  public static Caller current() {
    Caller c = KEY.get();
    return c == null ? DEVELOPER : c;
  }

  /** The name as written to the audit log: {@code CN} or {@code CN (token:ab12cd34)}. */
  public String actor() {
    return via.startsWith("token:") ? name + " (" + via + ")" : name;
  }
}
