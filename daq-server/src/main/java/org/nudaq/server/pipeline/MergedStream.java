package org.nudaq.server.pipeline;

/** What the time-ordered merge feeds: events in non-decreasing time, and how far time has passed. */
interface MergedStream {

  /** One event, in time order; {@code timeNs} is never below an earlier event's or watermark's. */
  void onMergedEvent(int source, long timeNs, int adc, int flags);

  /**
   * A run of one source's events: those from index {@code from} on, before {@code to}, while their time is
   * at most {@code lastNs}, each as by {@link #onMergedEvent} in turn (adc in the low, flags in the high
   * 32 bits of {@code payload}). The event at {@code from} is always in the run. The merge hands over runs
   * so that a stage finds the run's end in the same loop that handles its events, and looks the source up
   * once per run. The arrays are the merge's: read them during the call only.
   *
   * @return the index after the run's last event
   */
  default int onMergedRun(int source, long[] timeNs, long[] payload, int from, int to, long lastNs) {
    int i = from;
    while (i < to && timeNs[i] <= lastNs) {
      long p = payload[i];
      onMergedEvent(source, timeNs[i], (int) p, (int) (p >>> 32));
      i++;
    }
    return i;
  }

  /**
   * Two sources' events at once (issue 19): events {@code [fromA, toA)} of source {@code a} and
   * {@code [fromB, toB)} of source {@code b} ({@code a < b}, each range every buffered event of its source,
   * in time order), merged as the merge orders them (by time; on a tie, source {@code a} first), at most
   * {@code lastNs}. The stage takes a prefix of that merged sequence, each event as by
   * {@link #onMergedEvent} in turn, and returns where it stopped in each range as
   * {@code (endA << 32) | endB}; it may take nothing (the default), and the merge then hands the next run
   * over by {@link #onMergedRun}. The arrays are the merge's: read them during the call only.
   */
  default long onMergedPair(int a, int b, long[] timeNs, long[] payload, int fromA, int toA, int fromB, int toB,
      long lastNs) {
    return (long) fromA << 32 | fromB;
  }

  /** Every event before {@code timeNs} has been delivered (a promise about the future of the stream). */
  void onWatermark(long timeNs);
}
