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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a journal in order, from its start or from an index, into a {@link JournalVisitor}. Frames
 * are copied into one reused buffer (allocation-free per frame once it is large enough).
 *
 * <p>Read-only: it never changes the journal. Single-threaded; close it when done.
 */
public final class JournalReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);
  /** Chronicle Queue's metadata file (the roll cycle, the last index...), in every journal directory. */
  static final String METADATA = "metadata.cq4t";

  private final Path dir;
  private final SingleChronicleQueue queue;
  private final ExcerptTailer tailer;
  private byte[] frame = new byte[64 * 1024];
  private long records;
  private long unknownRecords;
  /** Issue 19: FRAME records are passed over unread (not given to the visitor): the state records only. */
  private boolean skipFrames;
  /** Cycle files read to their last record without an end-of-file marker while a later one has records. */
  private long cyclesWithoutEnd;

  /**
   * Opens an existing journal for reading, read-only: not a byte of it is written (Chronicle's
   * {@code readOnly(true)}; a writable open rewrites {@code metadata.cq4t}), so an archive on read-only media or
   * under a checksum replays as it is, and a daemon's live journal can be read while the daemon appends (new
   * records and cycle files are seen). Read-only, Chronicle takes the roll cycle from the metadata file and
   * cannot make that file, so a directory without it is refused here with one line (a writable open made one,
   * in any directory named by mistake).
   *
   * @throws JournalException if {@code dir} is not a directory, has no {@code metadata.cq4t}, or Chronicle
   *     cannot open it
   */
  public JournalReader(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new JournalException("no journal at " + dir.toAbsolutePath() + ": not a directory");
    }
    if (!Files.isRegularFile(dir.resolve(METADATA))) {
      throw new JournalException("no journal at " + dir.toAbsolutePath() + ": no " + METADATA
          + " (not a journal, or copied without that file)");
    }
    this.dir = dir;
    this.queue = JournalQueues.open(dir, JournalConfig.RollCycle.FAST_DAILY, true);
    this.tailer = queue.createTailer();
  }

  /** Positions the reader at {@code index} (a Chronicle index as reported to visitors). */
  public void moveTo(long index) {
    if (!tailer.moveToIndex(index)) {
      throw new JournalException("the journal at " + dir.toAbsolutePath() + " has no record at index 0x" + Long.toHexString(index));
    }
  }

  /**
   * Issue 19 (a session cut by record count): the records from {@code fromIndex} (a record) up to
   * {@code toIndex} (exclusive: a record, or one past the journal's last), numbered 0, 1, … across cycle
   * files. Indices are dense inside a cycle file (its sequence numbers) but jump from one file to the next,
   * so each file's last sequence number is searched for (a few dozen index look-ups per file). Moves the
   * reader: {@link #moveTo} before reading on.
   */
  public RecordRange range(long fromIndex, long toIndex) {
    net.openhft.chronicle.queue.RollCycle rc = queue.rollCycle();
    int c0 = rc.toCycle(fromIndex);
    int c1 = rc.toCycle(toIndex);
    java.util.List<long[]> parts = new java.util.ArrayList<>();
    for (Long cycle : queue.listCyclesBetween(c0, c1)) {
      int c = cycle.intValue();
      long lo = c == c0 ? rc.toSequenceNumber(fromIndex) : 0;
      long hi = c == c1 ? rc.toSequenceNumber(toIndex) : lastSequence(rc, c) + 1;
      if (hi > lo) {
        parts.add(new long[] {rc.toIndex(c, lo), hi - lo});
      }
    }
    long[] first = new long[parts.size()];
    long[] counts = new long[parts.size()];
    for (int i = 0; i < first.length; i++) {
      first[i] = parts.get(i)[0];
      counts[i] = parts.get(i)[1];
    }
    return new RecordRange(first, counts);
  }

  /** The last sequence number with a record in cycle {@code c} (−1 if none). */
  private long lastSequence(net.openhft.chronicle.queue.RollCycle rc, int c) {
    if (!present(rc.toIndex(c, 0))) {
      return -1;
    }
    long known = 0;
    long step = 1;
    while (present(rc.toIndex(c, known + step))) {
      known += step;
      step <<= 1;
    }
    long absent = known + step;
    while (absent - known > 1) {
      long mid = known + (absent - known) / 2;
      if (present(rc.toIndex(c, mid))) {
        known = mid;
      } else {
        absent = mid;
      }
    }
    return known;
  }

  private boolean present(long index) {
    if (!tailer.moveToIndex(index)) {
      return false;
    }
    try (DocumentContext dc = tailer.readingDocument()) {
      return dc.isPresent() && dc.index() == index;
    }
  }

  /**
   * Records of a journal in order, as runs of consecutive indices (one per cycle file).
   *
   * @param firstIndex each run's first record index
   * @param counts     each run's number of records
   */
  public record RecordRange(long[] firstIndex, long[] counts) {
    /** Records in all. */
    public long count() {
      long n = 0;
      for (long c : counts) {
        n += c;
      }
      return n;
    }

    /** The index of the record at {@code position} (0 = the first; {@link #count()} = one past the last one). */
    public long indexAt(long position) {
      long p = position;
      for (int i = 0; i < counts.length; i++) {
        if (p < counts[i] || i == counts.length - 1) {
          return firstIndex[i] + p;
        }
        p -= counts[i];
      }
      throw new IllegalArgumentException("an empty record range has no position " + position);
    }
  }

  /** The index of the journal's last record (issue 19: where the last session ends), −1 if it has none. */
  public long lastIndex() {
    return queue.lastIndex();
  }

  /**
   * Issue 19: with {@code skip}, {@link #next} passes FRAME records over without reading or visiting
   * them (a fast pass over the state records: reactor, calibration, slow control...). Returns this.
   */
  public JournalReader skipFrames(boolean skip) {
    skipFrames = skip;
    return this;
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
    // Issue 19: two methods, so that the JIT's profile of the frame-reading one is not the state passes'
    // (the session scan, the runs and logbook, a segment's state records: frames skipped, other visitors).
    // With one method, each switch between the two kinds of pass invalidated its compiled code (C2 compiled it
    // 4-5 times in a 2-core replay of one session, and made it not entrant as often, mid-segment too).
    return skipFrames ? nextSkippingFrame(visitor) : nextReadingFrame(visitor);
  }

  private boolean nextReadingFrame(JournalVisitor visitor) {
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        return pastCycleWithoutEnd() && next(visitor);
      }
      if (dc.isMetaData()) {
        return true;
      }
      long index = dc.index();
      Bytes<?> b = dc.wire().bytes();
      int type = b.readUnsignedByte();
      long wallMs = b.readLong();
      records++;
      if (type == JournalRecordLayout.TYPE_FRAME) {
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
      } else {
        visitOther(type, index, wallMs, b, visitor);
      }
      return true;
    }
  }

  private boolean nextSkippingFrame(JournalVisitor visitor) {
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        return pastCycleWithoutEnd() && next(visitor);
      }
      if (dc.isMetaData()) {
        return true;
      }
      long index = dc.index();
      Bytes<?> b = dc.wire().bytes();
      int type = b.readUnsignedByte();
      long wallMs = b.readLong();
      records++;
      if (type == JournalRecordLayout.TYPE_FRAME) {
        visitor.onSkippedFrame(index);
      } else {
        visitOther(type, index, wallMs, b, visitor);
      }
      return true;
    }
  }

  /** A record other than FRAME, its type and time read, into {@code visitor}. */
  private void visitOther(int type, long index, long wallMs, Bytes<?> b, JournalVisitor visitor) {
    switch (type) {
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
      case JournalRecordLayout.TYPE_CLOSED -> {
        // Empty before session 10; since: i32 n, n × (i32 boardId, i64 lastSequence).
        int n = b.readRemaining() >= 4 ? b.readInt() : 0;
        for (int i = 0; i < n && b.readRemaining() >= 12; i++) {
          int board = b.readInt();
          visitor.onLinkAtStop(index, board, b.readLong());
        }
        visitor.onClosed(index, wallMs);
      }
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
  }

  private static String utf8(Bytes<?> b) {
    int n = b.readInt();
    byte[] raw = new byte[n];
    b.read(raw, 0, n);
    return new String(raw, StandardCharsets.UTF_8);
  }

  /**
   * Where a forward read finds no record: whether the reader stands at the end of a cycle file that has no
   * end-of-file marker while a later cycle file has records. Chronicle's tailer never passes such a file (it
   * waits for the marker, which only a writer writes), so a replay stopped there, silently, before the later
   * files' records. The marker is missing when a writer was killed in the instant it rolled to a new file (a
   * restarted writer adds it); a writer that rolls writes it before its first record in the new file, so a read
   * that still finds nothing once a later file has records is this case. Moves to the first record of the next
   * cycle file with records, counts it ({@link #cyclesWithoutEnd}) and says so in one line; false otherwise
   * (the journal's current end).
   */
  private boolean pastCycleWithoutEnd() {
    if (tailer.direction() != TailerDirection.FORWARD) {
      return false;
    }
    int cycle = tailer.cycle();
    int last = queue.lastCycle();
    if (last <= cycle) {
      return false;
    }
    try (DocumentContext dc = tailer.readingDocument()) { // read again: a writer may have rolled meanwhile
      if (dc.isPresent()) {
        dc.rollbackOnClose(); // not read here: the caller reads it
        return true;
      }
    }
    if (tailer.cycle() != cycle) {
      return true; // it passed to the next file by itself
    }
    net.openhft.chronicle.queue.RollCycle rc = queue.rollCycle();
    for (Long next : queue.listCyclesBetween(cycle + 1, last)) {
      long first = rc.toIndex(next.intValue(), 0);
      if (tailer.moveToIndex(first)) {
        cyclesWithoutEnd++;
        LOG.warn("journal {}: cycle file of cycle {} has no end-of-file marker (a writer stopped as it rolled to a new"
            + " file); read on from the next file's first record, index 0x{}", dir.toAbsolutePath(), cycle, Long.toHexString(first));
        return true;
      }
    }
    return false;
  }

  /** Cycle files read to their last record that had no end-of-file marker, passed to the next file (see above). */
  public long cyclesWithoutEnd() {
    return cyclesWithoutEnd;
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
