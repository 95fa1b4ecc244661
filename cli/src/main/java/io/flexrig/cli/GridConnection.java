package io.flexrig.cli;

import io.flexrig.proto.v1.GridServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One channel to the controller's GridService; every stub it hands out carries a deadline. */
final class GridConnection implements AutoCloseable {

  private final ManagedChannel channel;
  private final Duration timeout;

  GridConnection(
      ControllerAddress address, ChannelCredentials credentials, Duration timeout, String agent) {
    this.channel =
        Grpc.newChannelBuilderForAddress(address.host(), address.port(), credentials)
            .userAgent(agent)
            .build();
    this.timeout = timeout;
  }

  /** A stub whose calls must finish within the configured timeout. */
  GridServiceGrpc.GridServiceBlockingStub grid() {
    return within(timeout);
  }

  /** A stub whose calls must finish within {@code d} (long streams). */
  GridServiceGrpc.GridServiceBlockingStub within(Duration d) {
    return GridServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(d.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
