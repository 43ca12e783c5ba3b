package org.nudaq.server.pipeline;

/**
 * The pipeline's per-event hooks for an export: where each event's fate is settled. Without an
 * export the pipeline holds {@link #NONE}, whose methods are empty: the only implementation loaded in
 * the daemon, so the JIT inlines the calls to nothing. With an {@link EventFateSink}, the pipeline
 * holds a {@link FateRecorder}, which turns these low-level hooks into complete events.
 *
 * <p>Pipeline thread only.
 */
interface FateTracker {
  FateTracker NONE = new FateTracker() {};

  /** An event rejected before the merge (fake or late). */
  default void beforeMerge(int source, long timeNs, int adc, int flags, RejectReason reason) {}

  /** An event of an unconfigured board/channel ({@code timeNs} −1 for an unknown board). */
  default void unknownChannel(int boardId, int channel, long timeNs, int adc, int flags) {}

  /** An NaI event out of the merge: accepted. */
  default void naiAccepted(int source, long timeNs, int adc, int flags, int state) {}

  /** An HPGe event out of the merge enters the look-ahead ring (at its tail). */
  default void hpgeQueued(int source, long timeNs, int adc, int flags, int state) {}

  /** The look-ahead ring's head is decided: vetoed, rejected or gated. */
  default void headDecided(EventFate fate) {}

  /** The look-ahead ring's head passed every cut: held in the data-quality slot {@code slot} of detector {@code detector}. */
  default void headHeld(int slot, int detector) {}

  /** A data-quality slice of a detector was judged: its held events are accepted (good) or gated. */
  default void sliceJudged(int slot, int detector, boolean good) {}

  /** A reactor-state change was appended to the timeline. */
  default void reactorState(long timeNs, int state, double powerFraction) {}
}
