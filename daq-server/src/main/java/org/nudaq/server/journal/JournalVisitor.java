package org.nudaq.server.journal;

import org.nudaq.server.pipeline.ReactorState;

/**
 * Receives journal records in order from {@link JournalReader}. The frame bytes are only valid
 * during the call (the reader reuses its buffer). Default methods ignore a record.
 */
public interface JournalVisitor {
  default void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {}

  default void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {}

  default void onLink(long index, long wallClockEpochMs, int boardId, boolean up) {}

  default void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {}

  /** A REACTOR (ON/OFF at the state's default power) or REACTOR_POWER record. */
  default void onReactorState(long index, long wallClockEpochMs, ReactorState state, double powerFraction, long effectiveTimeNs) {}

  default void onRun(long index, long wallClockEpochMs, boolean running, long runNumber) {}

  default void onClosed(long index, long wallClockEpochMs) {}

  /** A CALIBRATION record: its body ({@code monitor.calibration.CalibrationCodec}), valid during the call. */
  default void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {}
}
