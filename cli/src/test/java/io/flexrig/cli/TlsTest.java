package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.proto.v1.GetSiteStatusRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.SiteStatus;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and the bearer token against a real TLS gRPC server (the controller is plaintext-only for
 * now): a test GridService peer that answers GetSiteStatus to callers presenting the right token.
 * Its certificate is made by the JDK's keytool.
 */
@Tag("integration")
class TlsTest {

  private static final String TOKEN = "s3cret-token";

  @TempDir Path dir;
  private Path certPem;
  private Server server;

  @BeforeEach
  void start() throws Exception {
    Path keystore = dir.resolve("controller.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "controller",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=controller",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(output).isZero();

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate cert = ks.getCertificate("controller");
    PrivateKey key = (PrivateKey) ks.getKey("controller", "changeit".toCharArray());
    certPem = dir.resolve("controller.pem");
    Path keyPem = dir.resolve("controller.key");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));

    server =
        Grpc.newServerBuilderForPort(
                0, TlsServerCredentials.create(certPem.toFile(), keyPem.toFile()))
            .addService(ServerInterceptors.intercept(new SiteOnly(), new RequireToken()))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private CtlRun ctl(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--controller";
    all[1] = "127.0.0.1:" + server.getPort();
    System.arraycopy(args, 0, all, 2, args.length);
    return CtlRun.of(Map.of(), all);
  }

  private Path tokenFile(String token) throws Exception {
    Path f = dir.resolve("token-" + token.length());
    Files.writeString(f, token + "\n");
    return f;
  }

  @Test
  void callsOverTlsCarryTheBearerToken() throws Exception {
    CtlRun r =
        ctl(
            "--ca",
            certPem.toString(),
            "--token-file",
            tokenFile(TOKEN).toString(),
            "site",
            "status",
            "--site",
            "site-1");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("measured        42.0 kW");
  }

  @Test
  void wrongTokenExitsWithCodeFive() throws Exception {
    CtlRun r =
        ctl(
            "--ca",
            certPem.toString(),
            "--token-file",
            tokenFile("wrong").toString(),
            "site",
            "status",
            "--site",
            "site-1");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
    assertThat(r.err()).startsWith("flexrigctl: not authenticated: unknown token");
  }

  @Test
  void untrustedControllerCertificateExitsWithCodeSix() {
    CtlRun r = ctl("site", "status", "--site", "site-1"); // system roots do not know this cert

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(6);
    assertThat(r.err())
        .startsWith("flexrigctl: controller 127.0.0.1:")
        .contains("unavailable: TLS handshake failed: ");
    assertThat(r.err().strip()).doesNotContain("\n");
  }

  @Test
  void unreadableCaFileExitsWithCodeOne() {
    CtlRun r = ctl("--ca", dir.resolve("missing.pem").toString(), "site", "status", "--site", "s");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("flexrigctl: cannot load TLS material: ");
  }

  /** Answers GetSiteStatus with a fixed site. */
  private static final class SiteOnly extends GridServiceGrpc.GridServiceImplBase {
    @Override
    public void getSiteStatus(GetSiteStatusRequest request, StreamObserver<SiteStatus> out) {
      out.onNext(
          SiteStatus.newBuilder()
              .setSiteId(request.getSiteId())
              .setMeasuredKw(42)
              .setRigsConnected(1)
              .setRigsKnown(1)
              .build());
      out.onCompleted();
    }
  }

  /** Lets through calls that carry {@code authorization: Bearer TOKEN}. */
  private static final class RequireToken implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      if (!("Bearer " + TOKEN).equals(headers.get(BearerToken.AUTHORIZATION))) {
        call.close(Status.UNAUTHENTICATED.withDescription("unknown token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
