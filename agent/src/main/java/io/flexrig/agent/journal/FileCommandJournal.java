package io.flexrig.agent.journal;

import io.flexrig.agent.control.CommandAck;
import io.flexrig.agent.control.CommandJournal;
import io.flexrig.agent.control.CommandResult;
import io.flexrig.agent.control.CurtailmentCommand;
import io.flexrig.agent.journal.JournalRecords.Accepted;
import io.flexrig.agent.journal.JournalRecords.Armed;
import io.flexrig.agent.journal.JournalRecords.Decoded;
import io.flexrig.agent.journal.JournalRecords.Finished;
import io.flexrig.agent.journal.JournalRecords.JournalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable command journal: an append-only file ({@code commands.journal} in the agent's state
 * directory) of CRC-checked records, fsynced before a command is acknowledged.
 *
 * <p>Why a file and not SQLite: the journal holds a handful of live commands and is written once
 * per command; one {@code write} + {@code fsync} is all the durability it needs, recovery is "stop
 * at the first torn or corrupt frame", and it costs no native library (sqlite-jdbc unpacks a native
 * .so at start, which fails on boards that mount /tmp noexec) and no extra megabytes.
 *
 * <p>On open the file is replayed and compacted: commands past their {@code expires_at} are
 * dropped, except the very last accepted one (so a restarted agent still knows it must release the
 * rig), and the rest is rewritten to a temporary file that atomically replaces the journal. It is
 * compacted again every {@value #COMPACT_EVERY} appends.
 */
public final class FileCommandJournal implements CommandJournal, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileCommandJournal.class);
  public static final String FILE_NAME = "commands.journal";
  static final int COMPACT_EVERY = 256;
  private static final int MAX_REMEMBERED = 1024;

  private final Path dir;
  private final Path file;
  private final Clock clock;
  private final List<Entry> live;
  private final boolean tornTail;
  // every accepted command not yet compacted away, oldest first; guarded by this
  private final Map<String, MutableEntry> entries = new LinkedHashMap<>();
  private FileChannel channel;
  private int appends;
  private Arming arming;
  private final Arming armingAtOpen;

  private FileCommandJournal(Path dir, Clock clock, Decoded decoded) throws IOException {
    this.dir = dir;
    this.file = dir.resolve(FILE_NAME);
    this.clock = clock;
    this.tornTail = decoded.tornTail();
    for (JournalRecord r : decoded.records()) {
      apply(r);
    }
    compact();
    List<Entry> out = new ArrayList<>();
    for (MutableEntry e : entries.values()) {
      out.add(e.entry());
    }
    this.live = List.copyOf(out);
    this.armingAtOpen = arming;
  }

  @Override
  public Arming arming() {
    return armingAtOpen;
  }

  @Override
  public synchronized void armed(boolean armed, String program) throws IOException {
    Armed record = new Armed(armed, program == null ? "" : program);
    append(record);
    apply(record);
    if (++appends >= COMPACT_EVERY) {
      compact();
    }
  }

  /** Opens (creating if needed) the journal in {@code stateDir}, replaying and compacting it. */
  public static FileCommandJournal open(Path stateDir, Clock clock) throws IOException {
    Files.createDirectories(stateDir);
    Path file = stateDir.resolve(FILE_NAME);
    byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    Decoded decoded = JournalRecords.decode(bytes);
    if (decoded.tornTail()) {
      log.warn(
          "{}: dropped {} bytes of a damaged or unfinished record at its end",
          file,
          bytes.length - decoded.validBytes());
    }
    return new FileCommandJournal(stateDir, clock, decoded);
  }

  /** The journal file. */
  public Path file() {
    return file;
  }

  /** True when a damaged record was dropped from the end of the file at open. */
  public boolean droppedDamagedTail() {
    return tornTail;
  }

  @Override
  public List<Entry> live() {
    return live;
  }

  @Override
  public synchronized void accepted(CurtailmentCommand command, CommandAck ack) throws IOException {
    append(new Accepted(command, ack, false));
    apply(new Accepted(command, ack, false));
    if (++appends >= COMPACT_EVERY) {
      compact();
    }
  }

  @Override
  public synchronized void finished(CommandResult result) {
    if (!entries.containsKey(result.commandId())) {
      return;
    }
    try {
      // not fsynced: a lost mark only makes a restarted agent verify the command once more
      channel.write(ByteBuffer.wrap(JournalRecords.frame(new Finished(result.commandId()))));
      apply(new Finished(result.commandId()));
    } catch (IOException e) {
      log.warn("{}: could not record the result of {}: {}", file, result.commandId(), e.toString());
    }
  }

  private void append(JournalRecord r) throws IOException {
    if (channel == null) {
      throw new IOException(file + " is closed");
    }
    ByteBuffer b = ByteBuffer.wrap(JournalRecords.frame(r));
    while (b.hasRemaining()) {
      channel.write(b);
    }
    channel.force(false);
  }

  private void apply(JournalRecord r) {
    switch (r) {
      case Accepted a -> {
        for (MutableEntry e : entries.values()) {
          e.superseded = true;
        }
        entries.remove(a.command().commandId());
        MutableEntry e = new MutableEntry(a.command(), a.ack());
        e.superseded = a.superseded();
        entries.put(a.command().commandId(), e);
        if (entries.size() > MAX_REMEMBERED) {
          Iterator<MutableEntry> it = entries.values().iterator();
          it.next();
          it.remove();
        }
      }
      case Finished f -> {
        MutableEntry e = entries.get(f.commandId());
        if (e != null) {
          e.finished = true;
        }
      }
      case Armed a -> arming = new Arming(a.armed(), a.program());
    }
  }

  /** Rewrites the journal with what is still in force, atomically replacing the old file. */
  private void compact() throws IOException {
    Instant now = clock.instant();
    MutableEntry last = null;
    for (MutableEntry e : entries.values()) {
      last = e;
    }
    Iterator<MutableEntry> it = entries.values().iterator();
    while (it.hasNext()) {
      MutableEntry e = it.next();
      if (e != last && !e.command.expiresAt().isAfter(now)) {
        it.remove();
      }
    }
    if (channel != null) {
      channel.close();
      channel = null;
    }
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      if (arming != null) {
        out.write(
            ByteBuffer.wrap(JournalRecords.frame(new Armed(arming.armed(), arming.program()))));
      }
      for (MutableEntry e : entries.values()) {
        ByteBuffer b =
            ByteBuffer.wrap(JournalRecords.frame(new Accepted(e.command, e.ack, e.superseded)));
        while (b.hasRemaining()) {
          out.write(b);
        }
        if (e.finished) {
          out.write(ByteBuffer.wrap(JournalRecords.frame(new Finished(e.command.commandId()))));
        }
      }
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    appends = 0;
  }

  private void syncDirectory() {
    // makes the rename itself durable; not every file system lets a directory be opened
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      log.debug("{}: directory fsync not supported: {}", dir, e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        log.warn("{}: close failed: {}", file, e.toString());
      }
      channel = null;
    }
  }

  private static final class MutableEntry {
    final CurtailmentCommand command;
    final CommandAck ack;
    boolean finished;
    boolean superseded;

    MutableEntry(CurtailmentCommand command, CommandAck ack) {
      this.command = command;
      this.ack = ack;
    }

    Entry entry() {
      return new Entry(command, ack, finished, superseded);
    }
  }
}
