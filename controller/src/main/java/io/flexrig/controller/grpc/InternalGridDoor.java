package io.flexrig.controller.grpc;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * GridService for adapters that live inside the controller process (the OpenADR VEN), as a grid
 * operator with a fixed name: they go through the same validation, idempotency and audit log as an
 * outside grid operator, without a certificate of their own and without a network port.
 */
public final class InternalGridDoor implements AutoCloseable {

  private final Server server;
  private final ManagedChannel channel;

  /**
   * @param grid the controller's GridService
   * @param adapterName who the audit log names, e.g. {@code openadr-ven}
   */
  public InternalGridDoor(BindableService grid, String adapterName) {
    Caller caller = new Caller(adapterName, Role.GRID_OPERATOR, "in-process");
    String name = "flexrig-internal-" + adapterName + "-" + System.identityHashCode(this);
    try {
      server =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(ServerInterceptors.intercept(grid, asCaller(caller)))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** A channel to GridService as this adapter. */
  public ManagedChannel channel() {
    return channel;
  }

  private static ServerInterceptor asCaller(Caller caller) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(
            Context.current().withValue(Caller.KEY, caller), call, headers, next);
      }
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
