package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class ExitCodesTest {

  @Test
  void grpcStatusesMapToTheDocumentedCodes() {
    assertThat(ExitCodes.of(Status.Code.INVALID_ARGUMENT)).isEqualTo(3);
    assertThat(ExitCodes.of(Status.Code.NOT_FOUND)).isEqualTo(4);
    assertThat(ExitCodes.of(Status.Code.PERMISSION_DENIED)).isEqualTo(5);
    assertThat(ExitCodes.of(Status.Code.UNAUTHENTICATED)).isEqualTo(5);
    assertThat(ExitCodes.of(Status.Code.UNAVAILABLE)).isEqualTo(6);
    assertThat(ExitCodes.of(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(6);
    assertThat(ExitCodes.of(Status.Code.INTERNAL)).isEqualTo(1);
  }

  @Test
  void messagesAreOneLineWithTheReason() {
    assertThat(
            CallFailure.message(
                Status.INVALID_ARGUMENT.withDescription("end_at is required").asRuntimeException(),
                "127.0.0.1:7443",
                "10s"))
        .isEqualTo("rejected by the controller: end_at is required");
    assertThat(
            CallFailure.message(
                Status.DEADLINE_EXCEEDED.asRuntimeException(), "ctl.example.net:7443", "10s"))
        .isEqualTo("controller ctl.example.net:7443 did not answer within 10s");
    assertThat(
            CallFailure.message(
                Status.UNAUTHENTICATED.withDescription("bad token").asRuntimeException(),
                "x",
                "1s"))
        .startsWith("not authenticated: bad token");
    assertThat(
            CallFailure.message(
                Status.INTERNAL.withDescription("event not stored").asRuntimeException(),
                "x:1",
                "1s"))
        .isEqualTo("controller x:1 failed: INTERNAL: event not stored");
  }
}
