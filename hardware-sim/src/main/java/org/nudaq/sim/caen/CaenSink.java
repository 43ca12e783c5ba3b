package org.nudaq.sim.caen;

import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.wire.BoardStatus;

/**
 * What a CAEN-format output of the simulator receives from the board models: each event as the board
 * recorded it (ticks, ADC, flags), in per-channel time order, and each board STATUS. Called on the
 * generator's thread; implementations must not allocate per event.
 */
public interface CaenSink extends AutoCloseable {

  /**
   * One event.
   *
   * @param board          the board
   * @param channel        our channel number on it
   * @param timestampTicks board time stamp, ticks of {@code board.tickNs()}
   * @param energyAdc      energy, ADC channels
   * @param flags          our event flags (org.nudaq.monitor.wire.EventFlags)
   */
  void onEvent(BoardConfig board, int channel, long timestampTicks, int energyAdc, int flags);

  /** A board's STATUS (cumulative live/dead time and trigger counters per channel). */
  void onStatus(BoardConfig board, BoardStatus status);

  /** Everything generated so far has been given: write it out. */
  void flush();

  /** The end of the run. */
  @Override
  void close();
}
