package org.nudaq.sim.replay;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.nudaq.monitor.journal.JournalRecordLayout;

/**
 * A daemon journal opened read-only for replay by the simulator: locates the last session (its
 * SESSION record, read backwards from the end) and hands out one {@link BoardCursor} per board.
 * Reads the documented format (docs/journal-and-replay.md) with Chronicle directly, independent of
 * the daemon's classes.
 *
 * <p>Thread-safety: open and close from one thread; each cursor belongs to the thread that created
 * it (Chronicle tailers are single-threaded).
 */
public final class ReplayJournal implements AutoCloseable {
  private final Path dir;
  private final SingleChronicleQueue queue;
  private final long sessionIndex;
  private final String configSource;
  private final String configYaml;

  private ReplayJournal(Path dir, SingleChronicleQueue queue, long sessionIndex, String configSource, String configYaml) {
    this.dir = dir;
    this.queue = queue;
    this.sessionIndex = sessionIndex;
    this.configSource = configSource;
    this.configYaml = configYaml;
  }

  /**
   * Opens the journal at {@code dir} and finds its last session.
   *
   * @throws ReplayException naming the directory when it is not a journal or holds no session
   */
  public static ReplayJournal open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ReplayException("no journal at " + dir.toAbsolutePath() + ": not a directory");
    }
    // Read-only, Chronicle cannot make the metadata file: without it, it would log a WARN and find nothing.
    if (!Files.isRegularFile(dir.resolve("metadata.cq4t"))) {
      throw new ReplayException("no journal at " + dir.toAbsolutePath() + ": no metadata.cq4t (not a journal, or copied without that file)");
    }
    SingleChronicleQueue q;
    try {
      // Read-only: replay never writes into a journal (the roll cycle is the one stored in it).
      q = SingleChronicleQueueBuilder.single(dir.toFile()).readOnly(true).build();
    } catch (RuntimeException e) {
      throw new ReplayException("cannot open the journal at " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    try (ExcerptTailer t = q.createTailer()) {
      t.direction(TailerDirection.BACKWARD).toEnd();
      while (true) {
        try (DocumentContext dc = t.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          if (dc.isMetaData()) {
            continue;
          }
          Bytes<?> b = dc.wire().bytes();
          if (b.readRemaining() >= JournalRecordLayout.BODY_OFFSET && b.readUnsignedByte() == JournalRecordLayout.TYPE_SESSION) {
            b.readLong();
            String source = utf8(b);
            String yaml = utf8(b);
            return new ReplayJournal(dir, q, dc.index(), source, yaml);
          }
        }
      }
    } catch (RuntimeException e) {
      q.close();
      throw new ReplayException("cannot read the journal at " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    q.close();
    throw new ReplayException("the journal at " + dir.toAbsolutePath() + " holds no session: nothing to replay");
  }

  private static String utf8(Bytes<?> b) {
    int n = b.readInt();
    if (n < 0 || n > b.readRemaining()) {
      throw new ReplayException("a SESSION text of " + n + " bytes but only " + b.readRemaining() + " bytes remain");
    }
    byte[] raw = new byte[n];
    b.read(raw, 0, n);
    return new String(raw, StandardCharsets.UTF_8);
  }

  /** The journal directory. */
  public Path directory() {
    return dir;
  }

  /** Where the recording daemon's configuration came from (its --config path). */
  public String sessionConfigSource() {
    return configSource;
  }

  /** The configuration text the recording daemon ran with. */
  public String sessionConfigYaml() {
    return configYaml;
  }

  /** A cursor over {@code boardId}'s frames and link-downs of the last session; use it on one thread. */
  public BoardCursor cursor(int boardId) {
    ExcerptTailer t = queue.createTailer();
    if (!t.moveToIndex(sessionIndex)) {
      throw new ReplayException("the journal at " + dir.toAbsolutePath() + " lost its session at index 0x"
          + Long.toHexString(sessionIndex));
    }
    return new BoardCursor(t, boardId);
  }

  @Override
  public void close() {
    queue.close();
  }

  /**
   * One board's records of the session in journal order: its FRAME records (the wire frame bytes)
   * and its LINK down records; ends at CLOSED, at the next SESSION or at the end of the journal.
   * Other records and other boards are skipped, as are unknown record types. Single-threaded.
   */
  public final class BoardCursor implements AutoCloseable {
    private final ExcerptTailer tailer;
    private final int boardId;
    private boolean sessionSeen;
    private boolean ended;
    private long unknownRecords;

    private BoardCursor(ExcerptTailer tailer, int boardId) {
      this.tailer = tailer;
      this.boardId = boardId;
    }

    /** The board's next item, or null at the end of the session. */
    public ReplayItem next() {
      while (!ended) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            ended = true;
            return null;
          }
          if (dc.isMetaData()) {
            continue;
          }
          Bytes<?> b = dc.wire().bytes();
          int type = b.readUnsignedByte();
          long wallMs = b.readLong();
          switch (type) {
            case JournalRecordLayout.TYPE_SESSION -> {
              if (sessionSeen) {
                ended = true; // the next session: not ours
                return null;
              }
              sessionSeen = true;
            }
            case JournalRecordLayout.TYPE_CLOSED -> {
              ended = true;
              return null;
            }
            case JournalRecordLayout.TYPE_FRAME -> {
              int board = b.readInt();
              b.readLong(); // framesLostBefore: the gap is visible again in the frames' own sequence numbers
              int length = b.readInt();
              if (length < 0 || length > b.readRemaining()) {
                throw new ReplayException("the journal at " + dir.toAbsolutePath() + ", record 0x" + Long.toHexString(dc.index())
                    + ": a FRAME of " + length + " bytes but only " + b.readRemaining() + " bytes remain");
              }
              if (board == boardId) {
                byte[] frame = new byte[length];
                b.read(frame, 0, length);
                return new ReplayItem(frame, wallMs);
              }
            }
            case JournalRecordLayout.TYPE_LINK -> {
              int board = b.readInt();
              boolean up = b.readUnsignedByte() != 0;
              if (board == boardId && !up) {
                return new ReplayItem(null, wallMs);
              }
            }
            case JournalRecordLayout.TYPE_IDLE, JournalRecordLayout.TYPE_REACTOR, JournalRecordLayout.TYPE_RUN,
                JournalRecordLayout.TYPE_REACTOR_POWER, JournalRecordLayout.TYPE_RUN_START, JournalRecordLayout.TYPE_RUN_STOP,
                JournalRecordLayout.TYPE_LOGBOOK, JournalRecordLayout.TYPE_SLOW_CONTROL -> {
              // pipeline inputs and shift records of the daemon, not of the board
            }
            default -> unknownRecords++;
          }
        }
      }
      return null;
    }

    /** Records of a type this reader does not know (skipped). */
    public long unknownRecords() {
      return unknownRecords;
    }

    @Override
    public void close() {
      tailer.close();
    }
  }
}
