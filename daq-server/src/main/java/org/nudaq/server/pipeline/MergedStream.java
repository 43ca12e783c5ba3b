package org.nudaq.server.pipeline;

/** What the time-ordered merge feeds: events in non-decreasing time, and how far time has passed. */
interface MergedStream {

  /** One event, in time order; {@code timeNs} is never below an earlier event's or watermark's. */
  void onMergedEvent(int source, long timeNs, int adc, int flags);

  /**
   * Events {@code from} (inclusive) to {@code to} (exclusive) of the arrays, all of one source, in time
   * order: the same as {@link #onMergedEvent} for each in turn (adc in the low, flags in the high 32 bits
   * of {@code payload}). The merge hands over runs so that a stage can look the source up once per run
   * and keep its per-event work in one loop. The arrays are the merge's: read them during the call only.
   */
  default void onMergedRun(int source, long[] timeNs, long[] payload, int from, int to) {
    for (int i = from; i < to; i++) {
      long p = payload[i];
      onMergedEvent(source, timeNs[i], (int) p, (int) (p >>> 32));
    }
  }

  /** Every event before {@code timeNs} has been delivered (a promise about the future of the stream). */
  void onWatermark(long timeNs);
}
