package org.nudaq.monitor.wire;

/**
 * Receives the contents of one decoded frame from {@link FrameReader#decode}. Called only after the
 * whole frame has been validated (magic, version, type, length, CRC, counts), so a visitor never
 * sees part of a corrupt frame. Per-event and per-channel callbacks carry primitives only, so
 * decoding allocates nothing per event.
 *
 * <p>Unsigned fields: {@code u16}/{@code u8} arrive as non-negative ints; {@code u64} timestamps,
 * counters and sequence numbers arrive as the raw 64 bits in a long (compare with
 * {@link Long#compareUnsigned} if they could exceed 2^63).
 */
public interface FrameVisitor {

  /** A HELLO frame (rare: once per connection, so a record is passed). */
  void onHello(int boardId, long sequence, BoardHello hello);

  /** Start of an EVENTS frame; {@link #onEvent} follows {@code eventCount} times, then {@link #onEventsEnd}. */
  void onEventsBegin(int boardId, long sequence, int eventCount);

  /**
   * One event record.
   *
   * @param timestampTicks board timestamp in ticks of the HELLO's tickLengthPs (u64)
   * @param channel board channel (u16)
   * @param energyAdc pulse height in ADC units (u16)
   * @param flags {@link EventFlags} bits (u16)
   * @param lostTriggersBefore triggers lost on this channel just before this event (u16, saturates at 65535)
   */
  void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore);

  /** End of an EVENTS frame (a natural point to publish a batch). */
  default void onEventsEnd(int boardId, long sequence) {}

  /**
   * Start of a STATUS frame; {@link #onChannelStatus} follows {@code channelCount} times.
   *
   * @param reactorPowerPpm reactor thermal power in millionths of nominal (u32), 0 = not reported
   */
  void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks, int reactorState, long reactorPowerPpm,
      int channelCount);

  /** One channel's cumulative counters of a STATUS frame (see {@link ChannelCounters} for meanings). */
  void onChannelStatus(
      int channel, long liveTimeTicks, long deadTimeTicks, long acceptedTriggers, long lostTriggers);

  /** The board is closing the connection in an orderly way. */
  void onGoodbye(int boardId, long sequence, int reasonCode);
}
