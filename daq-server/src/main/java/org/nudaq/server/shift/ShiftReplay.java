package org.nudaq.server.shift;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.nudaq.monitor.config.SlowControlConfig;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;

/**
 * Rebuilds the shift record — runs, logbook, latest slow-control readings — from the journal's RUN_START,
 * RUN_STOP, LOGBOOK and SLOW_CONTROL records, through the same {@link ShiftRecord} calls as the live daemon
 * ({@code nudaq replay} writes it next to its spectra; tests compare it with the live API). Each record's
 * time is the wall-clock time journaled with it, as live. Single-threaded.
 */
public final class ShiftReplay implements JournalVisitor {
  private final ShiftRecord record;
  private final JournalSession only;
  private boolean inSession;
  private boolean ended;
  private long unknownKinds;

  private ShiftReplay(ShiftRecord record, JournalSession only) {
    this.record = record;
    this.only = only;
  }

  /**
   * The shift record of the journal in {@code dir}: of every session ({@code session} null), or of one
   * session, from its SESSION record to the next.
   */
  public static ShiftRecord read(Path dir, JournalSession session, SlowControlConfig slowControl) {
    ShiftRecord record = new ShiftRecord(slowControl, ShiftRecord.Listener.NONE);
    ShiftReplay v = new ShiftReplay(record, session);
    try (JournalReader reader = new JournalReader(dir)) {
      reader.skipFrames(true); // issue 19: no frame is read here; a 1e8-event session's 1.6 GB were copied after the replay
      if (session != null) {
        reader.moveTo(session.startIndex());
      }
      while (!v.ended && reader.next(v)) {
        // every record up to the end (of the session)
      }
    }
    return record;
  }

  /**
   * The shift record of {@code session} from its shift records as {@code calls} on a visitor, in journal order
   * ({@link ShiftRecordsSeen}: kept by a replay cut in time), through the same calls as {@link #read}.
   */
  static ShiftRecord of(JournalSession session, SlowControlConfig slowControl, java.util.List<java.util.function.Consumer<JournalVisitor>> calls) {
    ShiftRecord record = new ShiftRecord(slowControl, ShiftRecord.Listener.NONE);
    ShiftReplay v = new ShiftReplay(record, session);
    v.onSession(session.startIndex(), session.startEpochMs(), session.configSource(), session.configYaml());
    for (java.util.function.Consumer<JournalVisitor> call : calls) {
      call.accept(v);
    }
    return record;
  }

  @Override
  public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
    if (only != null && inSession) {
      ended = true;
    }
    inSession = true;
  }

  @Override
  public void onRunStart(long index, long wallClockEpochMs, long runNumber, String comment, String configSha256) {
    if (!ended) {
      record.applyRunStart(Instant.ofEpochMilli(wallClockEpochMs), runNumber, comment, configSha256);
    }
  }

  @Override
  public void onRunStop(long index, long wallClockEpochMs, long runNumber, String comment, String summaryJson) {
    if (ended) {
      return;
    }
    Map<String, Object> summary;
    try {
      summary = ShiftJson.MAPPER.readValue(summaryJson, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      summary = Map.of("unreadable", summaryJson);
    }
    record.applyRunStop(Instant.ofEpochMilli(wallClockEpochMs), runNumber, comment, summary);
  }

  @Override
  public void onLogbook(long index, long wallClockEpochMs, int kind, String author, String text) {
    LogKind k = LogKind.ofOrdinal(kind);
    if (k == null) {
      unknownKinds++;
      return;
    }
    if (!ended) {
      record.applyLogbook(Instant.ofEpochMilli(wallClockEpochMs), k, author, text);
    }
  }

  @Override
  public void onSlowControl(long index, long wallClockEpochMs, String sensor, double value, long readingEpochMs,
      long effectiveTimeNs) {
    if (!ended) {
      record.applyReading(Instant.ofEpochMilli(wallClockEpochMs), sensor, value, Instant.ofEpochMilli(readingEpochMs));
    }
  }

  /** LOGBOOK records of a kind this version does not know (skipped). */
  public long unknownKinds() {
    return unknownKinds;
  }
}
