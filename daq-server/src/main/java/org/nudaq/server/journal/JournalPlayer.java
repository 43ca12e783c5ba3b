package org.nudaq.server.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
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
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private final PipelineInputs inputs;
  private final long fromEpochMs;
  private final long toEpochMs;
  private final Map<Integer, Long> lastSequence = new HashMap<>();
  /** Per board: sequence, length and CRC of its last frame record. */
  private final Map<Integer, long[]> lastFrameKey = new HashMap<>();
  private long duplicateRecords;
  private boolean started;
  private boolean ended;
  private boolean closed;
  private long frames;
  private long events;
  private long skippedFrames;
  private long decodeErrors;
  private long lastWallClockEpochMs;

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
    lastWallClockEpochMs = wallClockEpochMs;
    if (wallClockEpochMs < fromEpochMs || wallClockEpochMs >= toEpochMs) {
      skippedFrames++;
      return;
    }
    if (length >= FrameDescriptor.HEADER_LENGTH) {
      long seq = (long) LONG_LE.get(data, FrameDescriptor.SEQUENCE_OFFSET);
      long crc = (int) INT_LE.get(data, length - FrameDescriptor.CRC_LENGTH) & 0xFFFF_FFFFL;
      long[] last = lastFrameKey.computeIfAbsent(boardId, b -> new long[] {-1, -1, -1});
      if (last[0] == seq && last[1] == length && last[2] == crc) {
        // The same frame again right after itself: the daemon recorded it a second time because the
        // journal's file faulted after the first append (see IngestLoop); the link never passes a
        // repeated sequence number on, so this copy was never processed live either.
        duplicateRecords++;
        return;
      }
      last[0] = seq;
      last[1] = length;
      last[2] = crc;
      lastSequence.put(boardId, seq);
      if ((data[FrameDescriptor.TYPE_OFFSET] & 0xFF) == FrameDescriptor.TYPE_EVENTS && length >= FrameDescriptor.EVENTS_FIRST_RECORD_OFFSET) {
        events += (int) INT_LE.get(data, FrameDescriptor.EVENTS_COUNT_OFFSET) & 0xFFFFFFFFL;
      }
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
  public void onReactorState(long index, long wallClockEpochMs, boolean on, long effectiveTimeNs) {
    if (!ended) {
      inputs.reactorState(on, effectiveTimeNs);
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

  /** The last frame sequence number seen per board (to resume gap detection after a crash). */
  public Map<Integer, Long> lastSequence() {
    return lastSequence;
  }

  public long frames() {
    return frames;
  }

  /** Events in the EVENTS frames played. */
  public long events() {
    return events;
  }

  /** Frame records skipped as a second copy of the record before them (see {@link #onFrame}). */
  public long duplicateRecords() {
    return duplicateRecords;
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
