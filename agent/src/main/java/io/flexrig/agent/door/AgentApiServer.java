package io.flexrig.agent.door;

import io.flexrig.proto.v1.AgentServiceGrpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@code AgentService} with the standard health service and server reflection, over mutual
 * TLS with the controller role ({@link ControllerRole}), or plaintext on loopback for development.
 */
public final class AgentApiServer implements AutoCloseable {
  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();

  /**
   * Binds and starts the server.
   *
   * @throws IllegalArgumentException plaintext on a non-loopback address
   * @throws UncheckedIOException the address is taken or the TLS files cannot be read
   */
  public AgentApiServer(AgentApiSettings settings, AgentServiceImpl service) {
    try {
      InetAddress bind = InetAddress.getByName(settings.bindAddress());
      if (settings.plaintext() && !bind.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "agent_api_plaintext is for development on loopback only, not on " + bind);
      }
      ServerCredentials credentials =
          settings.plaintext()
              ? InsecureServerCredentials.create()
              : TlsServerCredentials.newBuilder()
                  .keyManager(settings.tlsCert().toFile(), settings.tlsKey().toFile())
                  .trustManager(settings.clientCa().toFile())
                  .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                  .build();
      ControllerRole role = new ControllerRole(settings.plaintext());
      health.setStatus("", ServingStatus.SERVING);
      health.setStatus(AgentServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
      this.server =
          NettyServerBuilder.forAddress(new InetSocketAddress(bind, settings.port()), credentials)
              // every handler returns at once (commands complete on the agent's control thread)
              .directExecutor()
              .maxInboundMessageSize(1 << 20)
              .permitKeepAliveTime(20, TimeUnit.SECONDS)
              .addService(ServerInterceptors.intercept(service, role))
              .addService(ServerInterceptors.intercept(health.getHealthService(), role))
              .addService(
                  ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), role))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve AgentService on " + settings.bindAddress() + ":" + settings.port(), e);
    }
  }

  /** The bound port (the chosen one when the settings asked for 0). */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
