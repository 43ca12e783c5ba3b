package org.nudaq.server.journal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.monitor.journal.JournalRecordLayout;
import org.nudaq.server.pipeline.ReactorState;

/**
 * Reads a journal in order, from its start or from an index, into a {@link JournalVisitor}. Frames
 * are copied into one reused buffer (allocation-free per frame once it is large enough).
 *
 * <p>Single-threaded; close it when done.
 */
public final class JournalReader implements AutoCloseable {
  private final Path dir;
  private final SingleChronicleQueue queue;
  private final ExcerptTailer tailer;
  private byte[] frame = new byte[64 * 1024];
  private long records;
  private long unknownRecords;

  /** Opens an existing journal for reading (the roll cycle is the one stored in it). */
  public JournalReader(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new JournalException("no journal at " + dir.toAbsolutePath() + ": not a directory");
    }
    this.dir = dir;
    this.queue = JournalQueues.open(dir, JournalConfig.RollCycle.FAST_DAILY, false);
    this.tailer = queue.createTailer();
  }

  /** Positions the reader at {@code index} (a Chronicle index as reported to visitors). */
  public void moveTo(long index) {
    if (!tailer.moveToIndex(index)) {
      throw new JournalException("the journal at " + dir.toAbsolutePath() + " has no record at index 0x" + Long.toHexString(index));
    }
  }

  /**
   * Issue 19: whether two record indices are in the same cycle file of the journal, where every index
   * between them is a record (indices are dense inside a cycle), so a session can be cut by index.
   */
  public boolean sameCycle(long index, long otherIndex) {
    return queue.rollCycle().toCycle(index) == queue.rollCycle().toCycle(otherIndex);
  }

  /** The index of the journal's last record (issue 19: where the last session ends), −1 if it has none. */
  public long lastIndex() {
    return queue.lastIndex();
  }

  /** Back to the first record. */
  public void toStart() {
    tailer.toStart();
  }

  /** Reads backwards from the last record (then {@link #next} goes towards the start). */
  public void fromEndBackwards() {
    tailer.direction(TailerDirection.BACKWARD).toEnd();
  }

  /** Reads the next record into {@code visitor}; false at the current end of the journal. */
  public boolean next(JournalVisitor visitor) {
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        return false;
      }
      if (dc.isMetaData()) {
        return true;
      }
      long index = dc.index();
      Bytes<?> b = dc.wire().bytes();
      int type = b.readUnsignedByte();
      long wallMs = b.readLong();
      records++;
      switch (type) {
        case JournalRecordLayout.TYPE_FRAME -> {
          int board = b.readInt();
          long lost = b.readLong();
          int length = b.readInt();
          if (length < 0 || length > b.readRemaining()) {
            throw new JournalException("the journal at " + dir.toAbsolutePath() + ", record 0x" + Long.toHexString(index)
                + ": a FRAME of " + length + " bytes but only " + b.readRemaining() + " bytes remain");
          }
          if (frame.length < length) {
            frame = new byte[Math.max(length, 2 * frame.length)];
          }
          b.read(frame, 0, length);
          visitor.onFrame(index, wallMs, board, frame, length, lost);
        }
        case JournalRecordLayout.TYPE_LINK -> visitor.onLink(index, wallMs, b.readInt(), b.readUnsignedByte() != 0);
        case JournalRecordLayout.TYPE_IDLE -> visitor.onIdle(index, wallMs, b.readLong());
        case JournalRecordLayout.TYPE_REACTOR -> {
          boolean on = b.readUnsignedByte() != 0;
          visitor.onReactorState(index, wallMs, on ? ReactorState.ON : ReactorState.OFF, on ? 1.0 : 0.0, b.readLong());
        }
        case JournalRecordLayout.TYPE_REACTOR_POWER -> {
          int code = b.readUnsignedByte();
          long effective = b.readLong();
          ReactorState state = code == 0 ? ReactorState.OFF : code == 1 ? ReactorState.ON : ReactorState.UNKNOWN;
          visitor.onReactorState(index, wallMs, state, b.readDouble(), effective);
        }
        case JournalRecordLayout.TYPE_SESSION -> {
          String source = utf8(b);
          visitor.onSession(index, wallMs, source, utf8(b));
        }
        case JournalRecordLayout.TYPE_RUN -> {
          boolean running = b.readUnsignedByte() != 0;
          visitor.onRun(index, wallMs, running, b.readLong());
        }
        case JournalRecordLayout.TYPE_CLOSED -> visitor.onClosed(index, wallMs);
        case JournalRecordLayout.TYPE_RUN_START -> {
          long number = b.readLong();
          String comment = utf8(b);
          visitor.onRunStart(index, wallMs, number, comment, utf8(b));
        }
        case JournalRecordLayout.TYPE_RUN_STOP -> {
          long number = b.readLong();
          String comment = utf8(b);
          visitor.onRunStop(index, wallMs, number, comment, utf8(b));
        }
        case JournalRecordLayout.TYPE_LOGBOOK -> {
          int kind = b.readUnsignedByte();
          String author = utf8(b);
          visitor.onLogbook(index, wallMs, kind, author, utf8(b));
        }
        case JournalRecordLayout.TYPE_SLOW_CONTROL -> {
          String sensor = utf8(b);
          double value = b.readDouble();
          long readingMs = b.readLong();
          visitor.onSlowControl(index, wallMs, sensor, value, readingMs, b.readLong());
        }
        case JournalRecordLayout.TYPE_CALIBRATION -> {
          int n = (int) b.readRemaining();
          byte[] body = new byte[n];
          b.read(body, 0, n);
          visitor.onCalibration(index, wallMs, body, n);
        }
        default -> unknownRecords++; // a newer writer's record: skipped, counted
      }
      return true;
    }
  }

  private static String utf8(Bytes<?> b) {
    int n = b.readInt();
    byte[] raw = new byte[n];
    b.read(raw, 0, n);
    return new String(raw, StandardCharsets.UTF_8);
  }

  /** Records read so far. */
  public long records() {
    return records;
  }

  /** Records of a type this reader does not know (skipped). */
  public long unknownRecords() {
    return unknownRecords;
  }

  @Override
  public void close() {
    queue.close();
  }
}
