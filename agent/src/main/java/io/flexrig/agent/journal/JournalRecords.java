package io.flexrig.agent.journal;

import io.flexrig.agent.control.CommandAck;
import io.flexrig.agent.control.CurtailmentCommand;
import io.flexrig.agent.control.CurtailmentCommand.Action;
import io.flexrig.agent.control.CurtailmentCommand.Release;
import io.flexrig.agent.control.CurtailmentCommand.SetPowerTarget;
import io.flexrig.agent.control.CurtailmentCommand.Sleep;
import io.flexrig.agent.control.CurtailmentCommand.Wake;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The journal's on-disk format, pure: a sequence of frames {@code [u32 length][u32
 * crc32c][payload]} whose payload is one record. A frame cut short by a crash or with a wrong
 * checksum ends the journal: what follows it was never acknowledged (the ack is sent only after the
 * fsync).
 */
final class JournalRecords {
  static final int MAX_PAYLOAD = 64 * 1024;
  private static final byte ACCEPTED = 1;
  private static final byte FINISHED = 2;
  private static final byte ARMED = 3;
  private static final byte SET_POWER_TARGET = 1;
  private static final byte SLEEP = 2;
  private static final byte WAKE = 3;
  private static final byte RELEASE = 4;

  private JournalRecords() {}

  /** A record of the journal. */
  sealed interface JournalRecord {}

  /** A command was accepted; {@code superseded} marks one kept only for its ack. */
  record Accepted(CurtailmentCommand command, CommandAck ack, boolean superseded)
      implements JournalRecord {}

  /** A command's result was reported. */
  record Finished(String commandId) implements JournalRecord {}

  /** The frequency response was armed or disarmed. */
  record Armed(boolean armed, String program) implements JournalRecord {}

  /** What {@link #decode} found: the intact records and whether a damaged tail was dropped. */
  record Decoded(List<JournalRecord> records, int validBytes, boolean tornTail) {}

  static byte[] frame(JournalRecord record) {
    byte[] payload = payload(record);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
    return b.array();
  }

  static Decoded decode(byte[] bytes) {
    List<JournalRecord> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.remaining() > 0) {
      int start = b.position();
      if (b.remaining() < 8) {
        return new Decoded(out, start, true);
      }
      int length = b.getInt();
      int crcValue = b.getInt();
      if (length < 0 || length > MAX_PAYLOAD || length > b.remaining()) {
        return new Decoded(out, start, true);
      }
      byte[] payload = new byte[length];
      b.get(payload);
      CRC32C crc = new CRC32C();
      crc.update(payload);
      if ((int) crc.getValue() != crcValue) {
        return new Decoded(out, start, true);
      }
      try {
        out.add(record(payload));
      } catch (IOException | RuntimeException e) {
        return new Decoded(out, start, true);
      }
    }
    return new Decoded(out, bytes.length, false);
  }

  private static byte[] payload(JournalRecord record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      switch (record) {
        case Accepted a -> {
          CurtailmentCommand c = a.command();
          out.writeByte(ACCEPTED);
          out.writeBoolean(a.superseded());
          out.writeUTF(c.commandId());
          out.writeUTF(c.eventId() == null ? "" : c.eventId());
          instant(out, c.issuedAt());
          instant(out, c.deadline());
          instant(out, c.expiresAt());
          switch (c.action()) {
            case SetPowerTarget t -> {
              out.writeByte(SET_POWER_TARGET);
              out.writeDouble(t.powerW());
            }
            case Sleep s -> out.writeByte(SLEEP);
            case Wake w -> out.writeByte(WAKE);
            case Release r -> out.writeByte(RELEASE);
            case CurtailmentCommand.ArmFrequencyResponse f ->
                throw new IllegalArgumentException("arming is not journaled");
            case CurtailmentCommand.SwitchWorkload w ->
                throw new IllegalArgumentException("the workload switcher records switches");
          }
          CommandAck ack = a.ack();
          out.writeUTF(ack.reason());
          out.writeBoolean(ack.clamped());
          out.writeDouble(ack.appliedPowerW());
          instant(out, ack.receivedAt());
        }
        case Finished f -> {
          out.writeByte(FINISHED);
          out.writeUTF(f.commandId());
        }
        case Armed a -> {
          out.writeByte(ARMED);
          out.writeBoolean(a.armed());
          out.writeUTF(a.program());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  private static JournalRecord record(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    byte type = in.readByte();
    return switch (type) {
      case ACCEPTED -> {
        boolean superseded = in.readBoolean();
        String id = in.readUTF();
        String eventId = in.readUTF();
        Instant issuedAt = instant(in);
        Instant deadline = instant(in);
        Instant expiresAt = instant(in);
        byte kind = in.readByte();
        Action action =
            switch (kind) {
              case SET_POWER_TARGET -> new SetPowerTarget(in.readDouble());
              case SLEEP -> new Sleep();
              case WAKE -> new Wake();
              case RELEASE -> new Release();
              default -> throw new IOException("unknown action " + kind);
            };
        String reason = in.readUTF();
        boolean clamped = in.readBoolean();
        double applied = in.readDouble();
        Instant receivedAt = instant(in);
        yield new Accepted(
            new CurtailmentCommand(id, eventId, issuedAt, deadline, expiresAt, action),
            new CommandAck(id, true, reason, clamped, applied, receivedAt),
            superseded);
      }
      case FINISHED -> new Finished(in.readUTF());
      case ARMED -> new Armed(in.readBoolean(), in.readUTF());
      default -> throw new EOFException("unknown record type " + type);
    };
  }

  private static void instant(DataOutputStream out, Instant i) throws IOException {
    out.writeBoolean(i != null);
    if (i != null) {
      out.writeLong(i.getEpochSecond());
      out.writeInt(i.getNano());
    }
  }

  private static Instant instant(DataInputStream in) throws IOException {
    return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
  }
}
