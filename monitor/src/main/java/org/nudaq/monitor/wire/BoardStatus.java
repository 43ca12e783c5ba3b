package org.nudaq.monitor.wire;

import java.util.List;

/**
 * Contents of a STATUS frame: the board's own clocks and per-channel counters. Immutable;
 * thread-safe.
 *
 * @param boardTimeTicks the board's timestamp counter when the counters were latched, in ticks
 * @param realTimeTicks acquisition real time since the board started acquiring, in ticks
 * @param reactorState simulator-only diagnostic: the simulator's true reactor state
 *     ({@link FrameDescriptor#REACTOR_OFF}, {@link FrameDescriptor#REACTOR_ON}); real hardware
 *     always sends {@link FrameDescriptor#REACTOR_UNKNOWN}. Never used for gating.
 * @param channels counters of the enabled channels (at most {@link FrameDescriptor#MAX_STATUS_CHANNELS})
 * @param reactorPowerPpm the reactor's thermal power with the state, in millionths of nominal (u32);
 *                        0 = not reported (nominal when ON)
 */
public record BoardStatus(
    long boardTimeTicks, long realTimeTicks, int reactorState, List<ChannelCounters> channels, long reactorPowerPpm) {

  public BoardStatus {
    if (reactorState < 0 || reactorState > 0xFF) {
      throw new IllegalArgumentException("BoardStatus reactorState=" + reactorState + " out of range 0..255");
    }
    if (reactorPowerPpm < 0 || reactorPowerPpm > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("BoardStatus reactorPowerPpm=" + reactorPowerPpm + " out of range 0..2^32-1");
    }
    channels = List.copyOf(channels);
    if (channels.size() > FrameDescriptor.MAX_STATUS_CHANNELS) {
      throw new IllegalArgumentException(
          "BoardStatus channels=" + channels.size() + " exceeds " + FrameDescriptor.MAX_STATUS_CHANNELS);
    }
  }

  /** A status without the reactor power (reactorPowerPpm 0: not reported). */
  public BoardStatus(long boardTimeTicks, long realTimeTicks, int reactorState, List<ChannelCounters> channels) {
    this(boardTimeTicks, realTimeTicks, reactorState, channels, 0);
  }
}
