package org.nudaq.server.journal;

import org.nudaq.server.pipeline.ReactorState;

/**
 * Receives journal records in order from {@link JournalReader}. The frame bytes are only valid
 * during the call (the reader reuses its buffer). Default methods ignore a record.
 */
public interface JournalVisitor {
  default void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {}

  default void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {}

  /** A FRAME record passed over unread ({@link JournalReader#skipFrames}). */
  default void onSkippedFrame(long index) {}

  default void onLink(long index, long wallClockEpochMs, int boardId, boolean up) {}

  default void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {}

  /** A REACTOR (ON/OFF at the state's default power) or REACTOR_POWER record. */
  default void onReactorState(long index, long wallClockEpochMs, ReactorState state, double powerFraction, long effectiveTimeNs) {}

  default void onRun(long index, long wallClockEpochMs, boolean running, long runNumber) {}

  /** A run start (RUN_START record). */
  default void onRunStart(long index, long wallClockEpochMs, long runNumber, String comment, String configSha256) {}

  /** A run stop (RUN_STOP record) with the run summary as JSON text. */
  default void onRunStop(long index, long wallClockEpochMs, long runNumber, String comment, String summaryJson) {}

  /** A logbook entry (LOGBOOK record); {@code kind} is the ordinal of the shift package's LogKind. */
  default void onLogbook(long index, long wallClockEpochMs, int kind, String author, String text) {}

  /** A slow-control reading (SLOW_CONTROL record), applying from data time {@code effectiveTimeNs}. */
  default void onSlowControl(long index, long wallClockEpochMs, String sensor, double value, long readingEpochMs,
      long effectiveTimeNs) {}

  default void onClosed(long index, long wallClockEpochMs) {}

  /**
   * One board of a CLOSED record's links at the stop (called before {@link #onClosed}, once per board; a CLOSED
   * record written before session 10 has none): the last sequence number (u64) its link passed on or counted lost.
   */
  default void onLinkAtStop(long index, int boardId, long lastSequence) {}

  /** A CALIBRATION record: its body ({@code monitor.calibration.CalibrationCodec}), valid during the call. */
  default void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {}
}
