package io.flexrig.agent.uplink;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The agent's side of mutual TLS, PEM files as issued by {@code scripts/flexrig-pki.sh agent}.
 *
 * @param certChain this rig's certificate ({@code OU=agent}, {@code CN=<rig id>}); the controller
 *     takes the rig's identity from it and refuses a hello naming another rig
 * @param privateKey its private key (PKCS#8 PEM), readable only by the agent
 * @param trustCa the site CA that signed the controller's certificate
 */
public record ClientTls(Path certChain, Path privateKey, Path trustCa) {

  public ClientTls {
    Objects.requireNonNull(certChain, "tls certificate");
    Objects.requireNonNull(privateKey, "tls key");
    Objects.requireNonNull(trustCa, "tls CA");
  }

  /**
   * Reads the files into gRPC channel credentials.
   *
   * @throws UncheckedIOException when a file cannot be read or parsed
   */
  public ChannelCredentials credentials() {
    try {
      return TlsChannelCredentials.newBuilder()
          .keyManager(certChain.toFile(), privateKey.toFile())
          .trustManager(trustCa.toFile())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the TLS material " + certChain + ", " + privateKey + ", " + trustCa, e);
    }
  }
}
