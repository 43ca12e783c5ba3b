package org.nudaq.server.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.wire.FrameDescriptor;

/**
 * One daemon session in a journal: from its SESSION record to its CLOSED record, or to the end of
 * the journal if the daemon did not close it (a crash: then the next start recovers it).
 *
 * @param startIndex     index of the SESSION record
 * @param startEpochMs   when it started, epoch ms
 * @param configSource   the configuration file it ran with
 * @param configYaml     that configuration's text
 * @param closed         whether a CLOSED record ends it
 */
public record JournalSession(long startIndex, long startEpochMs, String configSource, String configYaml, boolean closed) {

  /** The last session of the journal, or null if it has none; reads backwards from the end (cheap). */
  public static JournalSession last(Path dir) {
    return tail(dir).session();
  }

  /**
   * The journal read backwards from its end to its last SESSION record — or to its oldest kept record
   * when it has none: then the last session's start was deleted by the retention ({@link Tail#startDeleted}).
   */
  public static Tail tail(Path dir) {
    try (JournalReader r = new JournalReader(dir)) {
      r.fromEndBackwards();
      Finder f = new Finder();
      while (f.found == null && r.next(f)) {
        // reading backwards until the session record
      }
      return new Tail(f.found, f.oldestIndex, f.newestIndex, f.records, f.frames, f.closedSeen, f.oldestEpochMs, f.newestEpochMs,
          java.util.Map.copyOf(f.midStream), java.util.Map.copyOf(f.linksAtStop));
    }
  }

  /**
   * The end of a journal, read backwards to its last SESSION record or, without one, to its oldest
   * record.
   *
   * @param session       the last session, or null if no SESSION record is left in the journal
   * @param oldestIndex   the oldest record read (the SESSION record, or the oldest kept), −1 if none
   * @param newestIndex   the journal's last record, −1 if none
   * @param records       records read (from {@code oldestIndex} to the end)
   * @param frames        FRAME records among them
   * @param closedSeen    whether a CLOSED record is among them
   * @param oldestEpochMs wall-clock time of the oldest record read, epoch ms
   * @param newestEpochMs wall-clock time of the last record, epoch ms
   * @param midStream     the boards whose last frame read is not a GOODBYE — the session ended (a stop or a crash)
   *                      in the middle of their stream — each with that frame's sequence number (board id → u64)
   * @param linksAtStop   the last session's CLOSED record's links: board id → the last sequence number (u64) its link
   *                      passed on or counted lost at the stop; empty without CLOSED or from a writer before session 10
   */
  public record Tail(JournalSession session, long oldestIndex, long newestIndex, long records, long frames, boolean closedSeen,
      long oldestEpochMs, long newestEpochMs, java.util.Map<Integer, Long> midStream, java.util.Map<Integer, Long> linksAtStop) {

    /**
     * Whether the journal ends in a session whose SESSION record is no longer in it: records are left
     * but none is a SESSION record and none is CLOSED. Every session begins with a SESSION record and
     * the retention deletes whole cycle files from the oldest on, so every record kept belongs to that
     * one unclosed session, which began before the oldest record kept.
     */
    public boolean startDeleted() {
      return session == null && records > 0 && !closedSeen;
    }
  }

  /** Every session of the journal, oldest first (reads every record but the frames, which it passes over). */
  public static List<JournalSession> all(Path dir) {
    return all(dir, s -> { });
  }

  /**
   * As {@link #all(Path)}, each session also given to {@code found} as soon as its SESSION record is read (not
   * closed yet: its CLOSED record, if any, comes later; issue 19: a replay of it starts while the scan goes on).
   */
  public static List<JournalSession> all(Path dir, java.util.function.Consumer<JournalSession> found) {
    List<JournalSession> out = new ArrayList<>();
    try (JournalReader r = new JournalReader(dir)) {
      r.skipFrames(true); // issue 19: a 1e8-event journal's 1.6 GB of frames are not copied to find its sessions
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
          JournalSession s = new JournalSession(index, wallClockEpochMs, configSource, configYaml, false);
          out.add(s);
          found.accept(s);
        }

        @Override
        public void onClosed(long index, long wallClockEpochMs) {
          if (!out.isEmpty()) {
            JournalSession s = out.get(out.size() - 1);
            out.set(out.size() - 1, new JournalSession(s.startIndex, s.startEpochMs, s.configSource, s.configYaml, true));
          }
        }
      };
      while (r.next(v)) {
        // all records
      }
    }
    return out;
  }

  private static final class Finder implements JournalVisitor {
    private static final java.lang.invoke.VarHandle LONG_LE =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    boolean closedSeen;
    JournalSession found;
    long oldestIndex = -1;
    long newestIndex = -1;
    long oldestEpochMs;
    long newestEpochMs;
    long records;
    long frames;
    /** Boards whose last frame (the first met reading backwards) is not a GOODBYE, with its sequence number. */
    final java.util.Map<Integer, Long> midStream = new java.util.HashMap<>();
    /** The CLOSED record's links at the stop (the first CLOSED met reading backwards: the last session's). */
    final java.util.Map<Integer, Long> linksAtStop = new java.util.HashMap<>();
    /** Boards whose last frame has been met. */
    final java.util.Set<Integer> boardsSeen = new java.util.HashSet<>();

    private void seen(long index, long wallClockEpochMs) {
      if (records++ == 0) {
        newestIndex = index;
        newestEpochMs = wallClockEpochMs;
      }
      oldestIndex = index;
      oldestEpochMs = wallClockEpochMs;
    }

    @Override
    public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
      seen(index, wallClockEpochMs);
      frames++;
      if (boardsSeen.add(boardId) && length >= FrameDescriptor.HEADER_LENGTH
          && (data[FrameDescriptor.TYPE_OFFSET] & 0xFF) != FrameDescriptor.TYPE_GOODBYE) {
        midStream.put(boardId, (long) LONG_LE.get(data, FrameDescriptor.SEQUENCE_OFFSET));
      }
    }

    @Override
    public void onLink(long index, long wallClockEpochMs, int boardId, boolean up) {
      seen(index, wallClockEpochMs);
    }

    @Override
    public void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {
      seen(index, wallClockEpochMs);
    }

    @Override
    public void onReactorState(long index, long wallClockEpochMs, org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {
      seen(index, wallClockEpochMs);
    }

    @Override
    public void onRun(long index, long wallClockEpochMs, boolean running, long runNumber) {
      seen(index, wallClockEpochMs);
    }

    @Override
    public void onRunStart(long index, long wallClockEpochMs, long runNumber, String comment, String configSha256) {
      seen(index, wallClockEpochMs);
    }

    @Override
    public void onRunStop(long index, long wallClockEpochMs, long runNumber, String comment, String summaryJson) {
      seen(index, wallClockEpochMs);
    }

    @Override
    public void onLogbook(long index, long wallClockEpochMs, int kind, String author, String text) {
      seen(index, wallClockEpochMs);
    }

    @Override
    public void onSlowControl(long index, long wallClockEpochMs, String sensor, double value, long readingEpochMs,
        long effectiveTimeNs) {
      seen(index, wallClockEpochMs);
    }

    @Override
    public void onLinkAtStop(long index, int boardId, long lastSequence) {
      if (!closedSeen) {
        linksAtStop.put(boardId, lastSequence);
      }
    }

    @Override
    public void onClosed(long index, long wallClockEpochMs) {
      seen(index, wallClockEpochMs);
      closedSeen = true;
    }

    @Override
    public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
      seen(index, wallClockEpochMs);
      found = new JournalSession(index, wallClockEpochMs, configSource, configYaml, closedSeen);
    }
  }
}
