package io.flexrig.systemd;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * sd_notify(3), shared by the agent and the controller, for a {@code Type=notify} unit: READY=1,
 * WATCHDOG=1, STOPPING=1 as datagrams to the unix socket systemd names in {@code NOTIFY_SOCKET}.
 *
 * <p>The JDK's {@code UnixDomainSocketAddress} works only with stream channels (JDK 21 to 25), and
 * systemd's notify socket is {@code SOCK_DGRAM}, so the datagram is sent through libc with JNA (FFM
 * would do, but it is a preview API in the Java 21 we compile for). One socket is opened at start
 * and kept, so a watchdog ping is one {@code sendto}, never a child process. Without {@code
 * NOTIFY_SOCKET} (not under systemd) every call is a no-op.
 */
public final class SystemdNotify implements AutoCloseable {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int MSG_NOSIGNAL = 0x4000;
  private static final int SUN_PATH_MAX = 108;

  /** The libc calls we need; direct names from socket(2), sendto(2), close(2). */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol);

    NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen);

    int close(int fd);
  }

  private final LibC libc;
  private final byte[] address;
  private int fd;

  private SystemdNotify(LibC libc, byte[] address, int fd) {
    this.libc = libc;
    this.address = address;
    this.fd = fd;
  }

  /** A notifier for this process's {@code NOTIFY_SOCKET}; a no-op one when it is not set. */
  public static SystemdNotify fromEnvironment() throws IOException {
    return forSocket(System.getenv("NOTIFY_SOCKET"));
  }

  /**
   * A notifier for the given socket path ({@code @name} for the abstract namespace); null or blank
   * gives a no-op notifier.
   */
  public static SystemdNotify forSocket(String socket) throws IOException {
    if (socket == null || socket.isBlank()) {
      return new SystemdNotify(null, null, -1);
    }
    LibC libc = Native.load("c", LibC.class);
    byte[] address = sockaddrUn(socket);
    int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed, errno " + Native.getLastError());
    }
    return new SystemdNotify(libc, address, fd);
  }

  /** Whether the process runs under a notify-aware service manager. */
  public boolean enabled() {
    return libc != null;
  }

  public void ready() throws IOException {
    send("READY=1\nSTATUS=running");
  }

  public void watchdog() throws IOException {
    send("WATCHDOG=1");
  }

  public void stopping() throws IOException {
    send("STOPPING=1");
  }

  public void status(String text) throws IOException {
    send("STATUS=" + text.replace('\n', ' '));
  }

  /** Sends one notification ({@code KEY=VALUE} lines); a no-op when not under systemd. */
  public synchronized void send(String state) throws IOException {
    if (libc == null || fd < 0) {
      return;
    }
    byte[] message = state.getBytes(StandardCharsets.UTF_8);
    long sent =
        libc.sendto(
                fd, message, new NativeLong(message.length), MSG_NOSIGNAL, address, address.length)
            .longValue();
    if (sent != message.length) {
      throw new IOException("sendto NOTIFY_SOCKET failed, errno " + Native.getLastError());
    }
  }

  /**
   * struct sockaddr_un: sa_family in host byte order, then the path; a leading '@' means Linux's
   * abstract namespace (a NUL first byte, the length counts exactly the name).
   */
  static byte[] sockaddrUn(String socket) throws IOException {
    byte[] path = socket.getBytes(StandardCharsets.UTF_8);
    boolean isAbstract = path[0] == '@';
    if (!isAbstract && path[0] != '/') {
      throw new IOException("NOTIFY_SOCKET is neither a path nor @abstract: " + socket);
    }
    if (path.length >= SUN_PATH_MAX) {
      throw new IOException("NOTIFY_SOCKET path too long: " + socket);
    }
    int length = 2 + path.length + (isAbstract ? 0 : 1);
    byte[] address = new byte[length];
    boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    address[little ? 0 : 1] = (byte) AF_UNIX;
    System.arraycopy(path, 0, address, 2, path.length);
    if (isAbstract) {
      address[2] = 0;
    }
    return address;
  }

  @Override
  public synchronized void close() {
    if (libc != null && fd >= 0) {
      libc.close(fd);
      fd = -1;
    }
  }
}
