package org.nudaq.server.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.WireFormatException;
import org.nudaq.server.ingest.PipelineInputs;

/**
 * Applies one session's journal records to a pipeline through {@link PipelineInputs} — the calls the
 * live pipeline thread made, in the same order — so the result is bit-identical to the live run with
 * the same configuration. Used by crash recovery and by {@code nudaq replay}. Stops at the session's
 * CLOSED record or at the next SESSION record.
 *
 * <p>Frames whose append time is outside [{@code fromEpochMs}, {@code toEpochMs}) are skipped (state
 * records always apply). Single-threaded.
 */
public final class JournalPlayer implements JournalVisitor {
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private final PipelineInputs inputs;
  private final long fromEpochMs;
  private final long toEpochMs;
  /** Every frame of the session, inside the time window or not: what recovery resumes from. */
  private final SessionProgress journaled = new SessionProgress();
  private boolean started;
  private boolean ended;
  private boolean closed;
  private long frames;
  private long events;
  private long skippedFrames;
  private long decodeErrors;
  private long lastWallClockEpochMs;
  private boolean applyJournaledCalibrations = true;
  private long badCalibrationRecords;

  public JournalPlayer(PipelineInputs inputs) {
    this(inputs, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  public JournalPlayer(PipelineInputs inputs, long fromEpochMs, long toEpochMs) {
    this.inputs = inputs;
    this.fromEpochMs = fromEpochMs;
    this.toEpochMs = toEpochMs;
  }

  /** Plays the session starting at {@code session.startIndex()} to its end; returns this. */
  public JournalPlayer play(JournalReader reader, JournalSession session) {
    reader.moveTo(session.startIndex());
    while (!ended && reader.next(this)) {
      // records until the session's end
    }
    return this;
  }

  /**
   * Continues a session from the record after {@code index} — the journal index of a checkpoint,
   * whose pipeline state the inputs' pipeline already holds — to the session's end; {@code progress}
   * is the snapshot's account of the frames journaled up to {@code index}. Returns this.
   *
   * @throws JournalException if the journal has no record at {@code index} (deleted by the retention, or lost)
   */
  public JournalPlayer playAfter(JournalReader reader, long index, SessionProgress progress) {
    journaled.copyFrom(progress);
    started = true; // the SESSION record lies before index: a SESSION record from here on ends it
    reader.moveTo(index);
    reader.next(SKIP); // the record at index is already in the state
    while (!ended && reader.next(this)) {
      // records until the session's end
    }
    return this;
  }

  private static final JournalVisitor SKIP = new JournalVisitor() {};

  /**
   * Issue 19 (a segment of a session replayed on its own core): the session's SESSION record lies before
   * the records this player will be given, so the next SESSION record ends it. Returns this.
   */
  public JournalPlayer midSession() {
    started = true;
    return this;
  }

  /** Whether the session ended (its CLOSED record or the next session's SESSION record was read). */
  public boolean ended() {
    return ended;
  }

  /**
   * The session's journaled frames up to where the player stopped: with {@link #playAfter}, those the
   * snapshot accounted for plus those played. Frame sequence numbers for recovery come from here.
   */
  public SessionProgress journaled() {
    return journaled;
  }

  @Override
  public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
    if (started) {
      ended = true; // the next session begins
    }
    started = true;
  }

  @Override
  public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
    if (ended) {
      return;
    }
    journaled.onFrame(boardId, data, length);
    lastWallClockEpochMs = wallClockEpochMs;
    if (wallClockEpochMs < fromEpochMs || wallClockEpochMs >= toEpochMs) {
      skippedFrames++;
      return;
    }
    if (length >= FrameDescriptor.EVENTS_FIRST_RECORD_OFFSET && (data[FrameDescriptor.TYPE_OFFSET] & 0xFF) == FrameDescriptor.TYPE_EVENTS) {
      events += (int) INT_LE.get(data, FrameDescriptor.EVENTS_COUNT_OFFSET) & 0xFFFFFFFFL;
    }
    try {
      inputs.frame(boardId, data, length, framesLostBefore);
      frames++;
    } catch (WireFormatException e) {
      decodeErrors++;
    }
  }

  @Override
  public void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {
    if (!ended) {
      inputs.idle(wallClockNanos);
    }
  }

  @Override
  public void onReactorState(long index, long wallClockEpochMs, org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {
    if (!ended) {
      inputs.reactorState(state, powerFraction, effectiveTimeNs);
    }
  }

  /**
   * Issue 17: the journal's CALIBRATION records are not applied (a replay that recalibrates from scratch
   * with its own settings). Returns this.
   */
  public JournalPlayer ignoreJournaledCalibrations() {
    applyJournaledCalibrations = false;
    return this;
  }

  @Override
  public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
    if (ended || !applyJournaledCalibrations) {
      return;
    }
    try {
      inputs.calibration(org.nudaq.monitor.calibration.CalibrationCodec.decode(body, length));
    } catch (IllegalArgumentException e) {
      badCalibrationRecords++;
    }
  }

  /** CALIBRATION records that could not be read (skipped, counted). */
  public long badCalibrationRecords() {
    return badCalibrationRecords;
  }

  @Override
  public void onSlowControl(long index, long wallClockEpochMs, String sensor, double value, long readingEpochMs,
      long effectiveTimeNs) {
    if (!ended) {
      inputs.slowControl(sensor, value, effectiveTimeNs);
    }
  }

  @Override
  public void onClosed(long index, long wallClockEpochMs) {
    if (!ended) {
      closed = true;
      ended = true;
    }
  }

  /** Whether the session ended with CLOSED (the live pipeline was finished there). */
  public boolean closed() {
    return closed;
  }

  public long frames() {
    return frames;
  }

  /** Events in the EVENTS frames played. */
  public long events() {
    return events;
  }

  public long skippedFrames() {
    return skippedFrames;
  }

  public long decodeErrors() {
    return decodeErrors;
  }

  public long lastWallClockEpochMs() {
    return lastWallClockEpochMs;
  }
}
