package io.flexrig.agent.source.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the agent secures its OPC UA channel. {@link #NONE} (SecurityPolicy None, anonymous) is for
 * labs; production sites use {@code basic256sha256}: SecurityPolicy Basic256Sha256 with
 * MessageSecurityMode SignAndEncrypt, the agent's own application instance certificate, and a trust
 * list of the server certificates it accepts. A secure configuration never falls back to None: a
 * server without such an endpoint, or whose certificate is not in the trust list, is refused.
 *
 * <p>Files are PEM, like the uplink's TLS material: the certificate ({@code BEGIN CERTIFICATE},
 * optionally followed by its issuers), the unencrypted PKCS#8 private key ({@code BEGIN PRIVATE
 * KEY}; convert a PKCS#1 key with {@code openssl pkcs8 -topk8 -nocrypt}). The trust list is a
 * directory of server certificates, PEM or DER ({@code .pem}, {@code .crt}, {@code .der}); it is
 * read again at each connection attempt, so a certificate copied in is used without a restart.
 *
 * @param mode none or basic256sha256
 * @param certificateChain the agent's certificate first, then its issuers; empty for none
 * @param keyPair the agent's key pair; null for none
 * @param trustDirectory the directory of trusted server certificates; null for none
 */
public record OpcUaSecurity(
    Mode mode, List<X509Certificate> certificateChain, KeyPair keyPair, Path trustDirectory) {

  /** Lab setting: no signing, no encryption. */
  public static final OpcUaSecurity NONE = new OpcUaSecurity(Mode.NONE, List.of(), null, null);

  /** The two security settings the agent offers. */
  public enum Mode {
    NONE("none"),
    BASIC256SHA256("basic256sha256");

    private final String configName;

    Mode(String configName) {
      this.configName = configName;
    }

    /** The value of {@code opcua_security} in agent.yaml. */
    public String configName() {
      return configName;
    }

    /** Parses {@code none} or {@code basic256sha256} (case-insensitive). */
    public static Mode parse(String text) {
      for (Mode m : values()) {
        if (m.configName.equals(text.strip().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      throw new IllegalArgumentException("expected none or basic256sha256, got '" + text + "'");
    }
  }

  public OpcUaSecurity {
    Objects.requireNonNull(mode, "mode");
    certificateChain = List.copyOf(certificateChain);
    if (mode == Mode.BASIC256SHA256
        && (certificateChain.isEmpty() || keyPair == null || trustDirectory == null)) {
      throw new IllegalArgumentException(
          "basic256sha256 needs a certificate, its private key and a trust-list directory");
    }
  }

  /** True unless SecurityPolicy None. */
  public boolean secure() {
    return mode != Mode.NONE;
  }

  /** The agent's own certificate (the first of the chain). */
  public X509Certificate certificate() {
    return certificateChain.getFirst();
  }

  /**
   * Loads the agent's PEM certificate and key and checks the trust-list directory, so a wrong file
   * fails at start with its name rather than at the first connection.
   *
   * @throws IOException naming the file that cannot be read or does not fit
   */
  public static OpcUaSecurity basic256Sha256(
      Path certificateFile, Path privateKeyFile, Path trustDirectory) throws IOException {
    List<X509Certificate> chain = readCertificates(certificateFile);
    if (chain.isEmpty()) {
      throw new IOException(certificateFile + ": no certificate in the file");
    }
    PrivateKey key = readPrivateKey(privateKeyFile);
    PublicKey pub = chain.getFirst().getPublicKey();
    if (!matches(key, pub)) {
      throw new IOException(
          privateKeyFile + ": this key does not belong to the certificate " + certificateFile);
    }
    if (!Files.isDirectory(trustDirectory)) {
      throw new IOException(trustDirectory + ": the trust list must be a directory");
    }
    return new OpcUaSecurity(
        Mode.BASIC256SHA256, chain, new KeyPair(pub, key), trustDirectory.toAbsolutePath());
  }

  /**
   * The server certificates in the trust-list directory now. Files that are not certificates are
   * skipped (a README, a key left there by mistake) rather than failing the connection.
   */
  public List<X509Certificate> trustedServerCertificates() throws IOException {
    if (trustDirectory == null) {
      return List.of();
    }
    List<X509Certificate> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(trustDirectory)) {
      for (Path f : files) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(f)
            && (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".der"))) {
          try {
            out.addAll(readCertificates(f));
          } catch (IOException e) {
            // one unreadable file must not hide the others
            org.slf4j.LoggerFactory.getLogger(OpcUaSecurity.class)
                .warn("trust list: skipping {}: {}", f, e.getMessage());
          }
        }
      }
    }
    return out;
  }

  /** The SHA-1 thumbprint OPC UA tools show for a certificate, as hex. */
  public static String thumbprint(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      return "?";
    }
  }

  static List<X509Certificate> readCertificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (var c : factory.generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (CertificateException e) {
      throw new IOException(file + ": not a PEM or DER certificate: " + e.getMessage(), e);
    }
  }

  static PrivateKey readPrivateKey(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
      throw new IOException(
          file
              + ": expected an unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with"
              + " 'openssl pkcs8 -topk8 -nocrypt'");
    }
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IOException(file + ": no PEM private key (BEGIN PRIVATE KEY) in the file");
    }
    String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end);
    try {
      byte[] der = Base64.getMimeDecoder().decode(body);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IOException(file + ": not an RSA PKCS#8 private key: " + e.getMessage(), e);
    }
  }

  private static boolean matches(PrivateKey key, PublicKey pub) {
    try {
      byte[] probe = "flexrig".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return secure()
        ? "OpcUaSecurity[" + mode.configName + ", trust list " + trustDirectory + "]"
        : "OpcUaSecurity[none]";
  }
}
