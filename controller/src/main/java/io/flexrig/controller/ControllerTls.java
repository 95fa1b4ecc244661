package io.flexrig.controller;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The controller's mTLS material, all PEM files (as issued by {@code scripts/flexrig-pki.sh}).
 *
 * @param certChain the controller's certificate (and intermediates), signed by the site CA
 * @param privateKey its private key, PKCS#8 PEM
 * @param clientCa the site CA: every client (agent, grid operator, monitor) must present a
 *     certificate it signed
 * @param gridTokenFile bearer tokens that grant the grid-operator role on top of a client
 *     certificate, one per line ({@code #} comments); null when only certificates grant it
 */
public record ControllerTls(Path certChain, Path privateKey, Path clientCa, Path gridTokenFile) {

  public ControllerTls {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
  }
}
