package org.nudaq.server.pipeline;

/** What the time-ordered merge feeds: events in non-decreasing time, and how far time has passed. */
interface MergedStream {

  /** One event, in time order; {@code timeNs} is never below an earlier event's or watermark's. */
  void onMergedEvent(int source, long timeNs, int adc, int flags);

  /** Every event before {@code timeNs} has been delivered (a promise about the future of the stream). */
  void onWatermark(long timeNs);
}
