package io.flexrig.agent.source.opcua;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/** Self-signed OPC UA application instance certificates for tests, written as PEM files. */
public final class TestCertificates {
  private TestCertificates() {}

  /**
   * An application's key pair and certificate, and the PEM files holding them.
   *
   * @param certFile the certificate, PEM
   * @param keyFile the private key, PKCS#8 PEM
   */
  public record Identity(
      KeyPair keyPair, X509Certificate certificate, Path certFile, Path keyFile) {}

  /** Makes a 2048-bit RSA identity (slow: make few, share them) and writes it into {@code dir}. */
  public static Identity create(Path dir, String name, String applicationUri) throws Exception {
    KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    X509Certificate certificate =
        new SelfSignedCertificateBuilder(keyPair)
            .setCommonName("flexrig test " + name)
            .setOrganization("flexrig")
            .setApplicationUri(applicationUri)
            .addDnsName("localhost")
            .addIpAddress("127.0.0.1")
            .build();
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()));
    return new Identity(keyPair, certificate, cert, key);
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
