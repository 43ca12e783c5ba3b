package org.nudaq.server.shift;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.nudaq.monitor.config.SlowControlConfig;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;

/**
 * The shift records (RUN_START, RUN_STOP, LOGBOOK, SLOW_CONTROL) of one part of a journal session, kept in
 * journal order as a replay cut in time meets them (issue 19): each segment of
 * {@code replay.SegmentedJournalReplay} keeps those of its own records, the parts are appended in session
 * order, and {@link #shiftRecord} puts them through {@link ShiftReplay}'s calls — the same record as
 * {@link ShiftReplay#read} of the session, without that second pass over the whole journal after the
 * replay (a 1e8-event session: ~0.15-0.2 s of one thread, with nothing else to do on the other cores).
 *
 * <p>Not thread-safe: one per segment, read after the segment's thread is done.
 */
public final class ShiftRecordsSeen implements JournalVisitor {
  /** The records as calls on a visitor, in journal order (rare records: a few per run). */
  private final List<Consumer<JournalVisitor>> calls = new ArrayList<>();

  @Override
  public void onRunStart(long index, long wallClockEpochMs, long runNumber, String comment, String configSha256) {
    calls.add(v -> v.onRunStart(index, wallClockEpochMs, runNumber, comment, configSha256));
  }

  @Override
  public void onRunStop(long index, long wallClockEpochMs, long runNumber, String comment, String summaryJson) {
    calls.add(v -> v.onRunStop(index, wallClockEpochMs, runNumber, comment, summaryJson));
  }

  @Override
  public void onLogbook(long index, long wallClockEpochMs, int kind, String author, String text) {
    calls.add(v -> v.onLogbook(index, wallClockEpochMs, kind, author, text));
  }

  @Override
  public void onSlowControl(long index, long wallClockEpochMs, String sensor, double value, long readingEpochMs,
      long effectiveTimeNs) {
    calls.add(v -> v.onSlowControl(index, wallClockEpochMs, sensor, value, readingEpochMs, effectiveTimeNs));
  }

  /** Appends {@code later}'s records (the next part of the session) after these. */
  public void append(ShiftRecordsSeen later) {
    calls.addAll(later.calls);
  }

  /** Records kept so far. */
  public int size() {
    return calls.size();
  }

  /** The shift record of {@code session} from these records, as {@link ShiftReplay#read} gives it from the journal. */
  public ShiftRecord shiftRecord(JournalSession session, SlowControlConfig slowControl) {
    return ShiftReplay.of(session, slowControl, calls);
  }
}
