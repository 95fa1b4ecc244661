package io.flexrig.controller.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens that grant the grid-operator role, loaded from a file (one per line, {@code #}
 * comments, at least 16 characters each).
 *
 * <p>A presented token is compared with every configured one by their SHA-256 digests with {@link
 * MessageDigest#isEqual} (constant time, equal lengths), and the loop never stops early, so the
 * time taken says nothing about how much of a token matched or which one.
 */
public final class GridTokens {

  private static final int MIN_LENGTH = 16;

  private final List<byte[]> digests;

  private GridTokens(List<byte[]> digests) {
    this.digests = digests;
  }

  /** No tokens: only certificates grant roles. */
  public static GridTokens none() {
    return new GridTokens(List.of());
  }

  /**
   * Reads the token file.
   *
   * @throws IllegalArgumentException when a token is too short or the file has none
   * @throws UncheckedIOException when the file cannot be read
   */
  public static GridTokens load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the grid token file " + file, e);
    }
    List<byte[]> digests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String token = lines.get(i).strip();
      if (token.isEmpty() || token.startsWith("#")) {
        continue;
      }
      if (token.length() < MIN_LENGTH) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": a grid token needs at least " + MIN_LENGTH + " characters");
      }
      digests.add(sha256(token));
    }
    if (digests.isEmpty()) {
      throw new IllegalArgumentException(file + ": no grid token in the file");
    }
    return new GridTokens(List.copyOf(digests));
  }

  public boolean configured() {
    return !digests.isEmpty();
  }

  /** The matching token's short fingerprint (for the audit log), or empty when none matches. */
  public Optional<String> match(String presented) {
    byte[] digest = sha256(presented);
    String found = null;
    for (byte[] d : digests) {
      if (MessageDigest.isEqual(d, digest) && found == null) {
        found = HexFormat.of().formatHex(d, 0, 4);
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
