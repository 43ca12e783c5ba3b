package org.nudaq.monitor.wire;

/**
 * One channel's counters in a STATUS frame. All counters are cumulative since the board started
 * (they survive client reconnects), so a reader uses differences between consecutive STATUS frames
 * and a lost STATUS frame loses no information. Immutable; thread-safe.
 *
 * @param channel channel number (0..65535)
 * @param liveTimeTicks time the channel was able to trigger, in board ticks (u64)
 * @param deadTimeTicks time the channel was busy and could not trigger, in board ticks (u64)
 * @param acceptedTriggers triggers turned into events and queued for sending (u64)
 * @param lostTriggers triggers lost because the board's event buffer was full (u64)
 */
public record ChannelCounters(
    int channel, long liveTimeTicks, long deadTimeTicks, long acceptedTriggers, long lostTriggers) {

  public ChannelCounters {
    if (channel < 0 || channel > 0xFFFF) {
      throw new IllegalArgumentException("ChannelCounters channel=" + channel + " out of range 0..65535");
    }
  }
}
