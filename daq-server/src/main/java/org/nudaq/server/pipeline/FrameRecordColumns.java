package org.nudaq.server.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nudaq.monitor.wire.EventFlags;
import org.nudaq.monitor.wire.FrameDescriptor;

/**
 * Why this exists (issue 19): a board frame's events go from the wire records to the merge's rings without
 * a call per event. The records are decoded a chunk at a time into columns (time in ns, the merge's
 * payload, the raw u16 fields), in a loop that does nothing else; the columns are then cut into runs of
 * one channel (a board sends per-channel aggregates), and each run is offered to the merge in one call
 * ({@link TimeOrderedMerge#offerRun}), which copies it into the source's ring. An event the simple path
 * must look at alone (unknown channel, a rare flag: lost triggers, time-stamp rollover or reset, fake; a
 * late event; a full ring) goes through {@link EventPipeline#onBoardFrameEvent}, exactly as before.
 * Results are those of one {@code onBoardFrameEvent} per record, in order. Events already decoded into
 * columns by the caller (the CoMPASS import: {@link EventPipeline#onBoardFrameEventColumns}) take the same
 * way from the run cutting on.
 *
 * <p>Pipeline thread only; allocation-free after construction (the column entry grows its time column once if
 * ever given more than {@link EventPipeline#COLUMN_EVENTS} events at a time; the CoMPASS feed never gives more).
 */
final class FrameRecordColumns {
  /** Records decoded at a time: the columns stay in the first-level cache. */
  private static final int CHUNK = 512;
  /**
   * The rare flags, shifted by 32: where they sit in a record's u64 of fields (bits 32-47) and in a payload
   * column (flags in the high 32 bits) alike. An event with one goes through the per-event path.
   */
  private static final long RARE_FLAG_BITS = (long) (EventFlags.LOST_TRIGGERS_BEFORE | EventFlags.TIMESTAMP_ROLLOVER
      | EventFlags.TIMESTAMP_RESET | EventFlags.FAKE) << 32;
  /** A run goes on while a record's channel is the run's and it has no rare flag. */
  private static final long RUN_KEY_BITS = RARE_FLAG_BITS | 0xFFFF;
  private static final long FLAG_FIELD_BITS = 0xFFFFL << 32;
  private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BUFFER_LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final TimeOrderedMerge merge;
  private final PipelineCounters counters;
  private final EventPipeline pipeline;
  private final long[] ticks = new long[CHUNK];
  private final long[] timeNs = new long[CHUNK];
  /** adc in the low, flags in the high 32 bits (the merge's payload). */
  private final long[] payload = new long[CHUNK];
  /** The record's u64 of channel, energy, flags and lost triggers (u16 each, in that order from bit 0). */
  private final long[] fields = new long[CHUNK];
  /** The column entry's times, ns (index as the caller's columns). */
  private long[] columnTimeNs = new long[EventPipeline.COLUMN_EVENTS];

  FrameRecordColumns(TimeOrderedMerge merge, PipelineCounters counters, EventPipeline pipeline) {
    this.merge = merge;
    this.counters = counters;
    this.pipeline = pipeline;
  }

  /**
   * Offers {@code count} records from absolute index {@code offset} of {@code buffer} of the open board
   * frame (board index {@code b}, its sources by channel, its exact tick in ns or 0).
   *
   * @param offsetTicks added to every time stamp (0 for a board's own stream)
   */
  void offer(ByteBuffer buffer, int offset, int count, long offsetTicks, int b, int[] sources, long tickNs) {
    int at = offset;
    for (int done = 0; done < count; ) {
      int m = Math.min(CHUNK, count - done);
      if (buffer.hasArray()) {
        decode(buffer.array(), buffer.arrayOffset() + at, m, offsetTicks);
      } else {
        decode(buffer, at, m, offsetTicks);
      }
      if (tickNs != 0) {
        for (int i = 0; i < m; i++) {
          timeNs[i] = ticks[i] * tickNs;
        }
        offerRuns(m, b, sources);
      } else {
        offerEach(0, m); // a tick of a fraction of a ns: the simple path converts each time stamp
      }
      at += m * FrameDescriptor.EVENT_RECORD_LENGTH;
      done += m;
    }
  }

  private void decode(byte[] records, int at, int m, long offsetTicks) {
    for (int i = 0; i < m; i++) {
      long f = (long) ARRAY_LONG.get(records, at + FrameDescriptor.EVENT_CHANNEL_OFFSET);
      ticks[i] = (long) ARRAY_LONG.get(records, at + FrameDescriptor.EVENT_TIMESTAMP_OFFSET) + offsetTicks;
      fields[i] = f;
      payload[i] = (f & FLAG_FIELD_BITS) | ((f >>> 16) & 0xFFFF);
      at += FrameDescriptor.EVENT_RECORD_LENGTH;
    }
  }

  private void decode(ByteBuffer records, int at, int m, long offsetTicks) {
    for (int i = 0; i < m; i++) {
      long f = (long) BUFFER_LONG.get(records, at + FrameDescriptor.EVENT_CHANNEL_OFFSET);
      ticks[i] = (long) BUFFER_LONG.get(records, at + FrameDescriptor.EVENT_TIMESTAMP_OFFSET) + offsetTicks;
      fields[i] = f;
      payload[i] = (f & FLAG_FIELD_BITS) | ((f >>> 16) & 0xFFFF);
      at += FrameDescriptor.EVENT_RECORD_LENGTH;
    }
  }

  /** Cuts the decoded chunk into runs of one known channel without rare flags and offers each. */
  private void offerRuns(int m, int b, int[] sources) {
    long[] f = fields;
    int i = 0;
    while (i < m) {
      long key = f[i] & RUN_KEY_BITS;
      int channel = (int) f[i] & 0xFFFF;
      int s = channel < sources.length ? sources[channel] : ChannelMap.NONE;
      int j = i + 1;
      if (s < 0 || key != channel) {
        offerEach(i, j); // unknown channel or a rare flag
      } else {
        while (j < m && (f[j] & RUN_KEY_BITS) == key) {
          j++;
        }
        offerRun(s, b, timeNs, payload, i, j);
      }
      i = j;
    }
  }

  /**
   * Events [from, to) of one known source {@code s} without rare flags, received and offered to the merge as
   * a run; an event the merge does not take (late, or a full ring) and those after it one at a time.
   */
  private void offerRun(int s, int b, long[] ns, long[] payload, int from, int to) {
    counters.received[s] += to - from;
    int k = from;
    while ((k = merge.offerRun(s, b, ns, payload, k, to)) < to) {
      pipeline.offerInBoardFrame(s, b, ns[k], (int) payload[k], (int) (payload[k] >>> 32)); // late, or a full ring
      k++;
    }
  }

  /** Records [from, to) of the chunk through the per-event path. */
  private void offerEach(int from, int to) {
    for (int i = from; i < to; i++) {
      long f = fields[i];
      pipeline.onBoardFrameEvent((int) f & 0xFFFF, ticks[i], (int) (f >>> 16) & 0xFFFF, (int) (f >>> 32) & 0xFFFF,
          (int) (f >>> 48));
    }
  }

  /**
   * Offers events {@code [0, count)} given as columns of the open board frame (board index {@code b}, its
   * sources by channel, its exact tick in ns or 0): as {@link EventPipeline#onBoardFrameEvent} of each
   * with no lost triggers, in turn ({@link EventPipeline#onBoardFrameEventColumns}). One pass: the run cut
   * converts the ticks of a run's events to ns as it goes, and the payload column is the merge's own.
   *
   * @param payload energy (ADC channels) in the low, flags in the high 32 bits, as the merge keeps them
   */
  void offer(int[] channel, long[] timestampTicks, long[] payload, int count, int b, int[] sources, long tickNs) {
    if (tickNs == 0) {
      offerEach(channel, timestampTicks, payload, 0, count); // a tick of a fraction of a ns
      return;
    }
    long[] ns = columnTimeNs;
    if (ns.length < count) {
      ns = columnTimeNs = new long[count]; // once, if ever: the CoMPASS feed gives at most EventPipeline.COLUMN_EVENTS
    }
    int i = 0;
    while (i < count) {
      int c = channel[i];
      int s = c >= 0 && c < sources.length ? sources[c] : ChannelMap.NONE;
      int j = i + 1;
      if (s < 0 || (payload[i] & RARE_FLAG_BITS) != 0) {
        offerEach(channel, timestampTicks, payload, i, j); // unknown channel or a rare flag
      } else {
        ns[i] = timestampTicks[i] * tickNs;
        while (j < count && channel[j] == c && (payload[j] & RARE_FLAG_BITS) == 0) {
          ns[j] = timestampTicks[j] * tickNs;
          j++;
        }
        offerRun(s, b, ns, payload, i, j);
      }
      i = j;
    }
  }

  /** Events [from, to) of the columns through the per-event path. */
  private void offerEach(int[] channel, long[] timestampTicks, long[] payload, int from, int to) {
    for (int i = from; i < to; i++) {
      pipeline.onBoardFrameEvent(channel[i], timestampTicks[i], (int) payload[i], (int) (payload[i] >>> 32), 0);
    }
  }
}
