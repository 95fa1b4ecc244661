package io.flexrig.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class SystemdNotifyTest {

  /** The receiving side systemd plays: a bound unix datagram socket. */
  interface Receiver extends Library {
    int socket(int domain, int type, int protocol);

    int bind(int fd, byte[] addr, int addrLen);

    NativeLong recv(int fd, byte[] buf, NativeLong len, int flags);

    int close(int fd);
  }

  private static final int MSG_DONTWAIT = 0x40;

  @Test
  void readyWatchdogAndStoppingArriveAsDatagramsOnTheNotifySocket(@TempDir Path dir)
      throws Exception {
    String path = dir.resolve("notify").toString();
    Receiver libc = Native.load("c", Receiver.class);
    int fd = libc.socket(1, 2, 0);
    byte[] address = SystemdNotify.sockaddrUn(path);
    assertThat(libc.bind(fd, address, address.length)).isZero();
    try (SystemdNotify notify = SystemdNotify.forSocket(path)) {
      assertThat(notify.enabled()).isTrue();
      notify.ready();
      assertThat(receive(libc, fd)).isEqualTo("READY=1\nSTATUS=running");
      notify.watchdog();
      assertThat(receive(libc, fd)).isEqualTo("WATCHDOG=1");
      notify.stopping();
      assertThat(receive(libc, fd)).isEqualTo("STOPPING=1");
    } finally {
      libc.close(fd);
    }
  }

  @Test
  void abstractSocketNamesStartWithANulByteAndCountOnlyTheName() throws Exception {
    byte[] address = SystemdNotify.sockaddrUn("@flexrig/notify");
    assertThat(address).hasSize(2 + "@flexrig/notify".length());
    assertThat(address[2]).isZero();
    assertThat(new String(address, 3, address.length - 3, StandardCharsets.UTF_8))
        .isEqualTo("flexrig/notify");
  }

  @Test
  void withoutNotifySocketEveryCallIsANoOp() throws Exception {
    try (SystemdNotify notify = SystemdNotify.forSocket(null)) {
      assertThat(notify.enabled()).isFalse();
      notify.ready();
      notify.watchdog();
    }
  }

  private static String receive(Receiver libc, int fd) {
    byte[] buffer = new byte[256];
    int n = libc.recv(fd, buffer, new NativeLong(buffer.length), MSG_DONTWAIT).intValue();
    assertThat(n).as("a datagram was waiting").isPositive();
    return new String(buffer, 0, n, StandardCharsets.UTF_8);
  }
}
