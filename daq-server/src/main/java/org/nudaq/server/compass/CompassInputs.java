package org.nudaq.server.compass;

import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.ReactorState;

/**
 * Where a CoMPASS feed ({@link CompassFeed}) sends what it read: the pipeline's own input calls, so
 * that an import of finished list files ({@link #of(EventPipeline)}: straight into the pipeline) and
 * the live follow of a run folder ({@code CompassFrameInputs}: as wire frames through the daemon's
 * frame queue and journal) give the pipeline the same calls in the same order, hence the same spectra.
 * Times in board ticks (events, status) or ns of data time (reactor). Single-threaded (the feed's
 * thread); implementations must not allocate per event.
 */
interface CompassInputs {
  void beginBoardFrame(int boardId);

  void onBoardFrameEvent(int channel, long timestampTicks, int energyAdc, int flags, int lostTriggersBefore);

  /**
   * Events {@code [0, count)} of the open board frame as columns, {@code payload} holding each one's
   * energy (ADC channels) in the low and flags in the high 32 bits (the merge's form): the same as
   * {@link #onBoardFrameEvent} of each in turn with no lost triggers, which this default does; the
   * pipeline itself takes them as runs ({@link EventPipeline#onBoardFrameEventColumns}). The arrays are
   * read during the call only.
   */
  default void onBoardFrameEvents(int[] channel, long[] timestampTicks, long[] payload, int count) {
    for (int i = 0; i < count; i++) {
      onBoardFrameEvent(channel[i], timestampTicks[i], (int) payload[i], (int) (payload[i] >>> 32), 0);
    }
  }

  void endBatch();

  /** A status of a board at {@code boardTimeTicks} (reactor state 0xFF: unknown, as real hardware). */
  void onStatusBegin(int boardId, long boardTimeTicks, long realTimeTicks, int reactorState);

  void onStatusChannel(int boardId, int channel, long liveTicks, long deadTicks, long acceptedTriggers, long lostTriggers);

  void onStatusEnd(int boardId);

  /** A reactor state from data time {@code effectiveTimeNs}. */
  void setReactorState(ReactorState state, double powerFraction, long effectiveTimeNs);

  /** The pipeline itself (replays and exports of list files). */
  static CompassInputs of(EventPipeline pipeline) {
    return new CompassInputs() {
      @Override public void beginBoardFrame(int boardId) {
        pipeline.beginBoardFrame(boardId);
      }

      @Override public void onBoardFrameEvent(int channel, long timestampTicks, int energyAdc, int flags, int lostTriggersBefore) {
        pipeline.onBoardFrameEvent(channel, timestampTicks, energyAdc, flags, lostTriggersBefore);
      }

      @Override public void onBoardFrameEvents(int[] channel, long[] timestampTicks, long[] payload, int count) {
        pipeline.onBoardFrameEventColumns(channel, timestampTicks, payload, count);
      }

      @Override public void endBatch() {
        pipeline.endBatch();
      }

      @Override public void onStatusBegin(int boardId, long boardTimeTicks, long realTimeTicks, int reactorState) {
        pipeline.onStatusBegin(boardId, boardTimeTicks, realTimeTicks, reactorState);
      }

      @Override public void onStatusChannel(int boardId, int channel, long liveTicks, long deadTicks, long acceptedTriggers,
          long lostTriggers) {
        pipeline.onStatusChannel(boardId, channel, liveTicks, deadTicks, acceptedTriggers, lostTriggers);
      }

      @Override public void onStatusEnd(int boardId) {
        pipeline.onStatusEnd(boardId);
      }

      @Override public void setReactorState(ReactorState state, double powerFraction, long effectiveTimeNs) {
        pipeline.setReactorState(state, powerFraction, effectiveTimeNs);
      }
    };
  }
}
