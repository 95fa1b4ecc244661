package io.flexrig.bench.footprint;

import io.flexrig.proto.v1.AgentServiceGrpc;
import io.flexrig.proto.v1.TelemetrySample;
import io.flexrig.proto.v1.WatchTelemetryRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of an agent's AgentService door (issue 10) watching its telemetry, as a site's own fleet
 * manager would, so the footprint with the door enabled includes a live server stream.
 */
final class DoorWatcher implements AutoCloseable {
  private final ManagedChannel channel;

  private DoorWatcher(ManagedChannel channel) {
    this.channel = channel;
  }

  static DoorWatcher start(int port, AtomicLong samples) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    AgentServiceGrpc.newStub(channel)
        .watchTelemetry(
            WatchTelemetryRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(TelemetrySample value) {
                samples.incrementAndGet();
              }

              @Override
              public void onError(Throwable t) {
                System.out.println("door watcher on port " + port + " ended: " + t);
              }

              @Override
              public void onCompleted() {}
            });
    return new DoorWatcher(channel);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
