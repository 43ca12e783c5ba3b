package org.nudaq.monitor.wire;

import java.nio.ByteBuffer;

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

  /**
   * Start of an EVENTS frame; {@link #onEventRecords} follows (which calls {@link #onEvent}
   * {@code eventCount} times unless overridden), then {@link #onEventsEnd}.
   */
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

  /**
   * The event records of an EVENTS frame, between {@link #onEventsBegin} and {@link #onEventsEnd}:
   * {@code count} records of {@link FrameDescriptor#EVENT_RECORD_LENGTH} bytes from absolute index
   * {@code offset} of {@code buffer} (fields at the {@code EVENT_*} offsets, little-endian), validated
   * with the whole frame. The default decodes each record and calls {@link #onEvent} in turn; a visitor
   * that reads the records itself (the pipeline decodes them straight into its merge's columns) overrides
   * it. The buffer is the caller's: read it during the call only, and leave its position, limit and order.
   */
  default void onEventRecords(ByteBuffer buffer, int offset, int count) {
    int record = offset;
    for (int i = 0; i < count; i++) {
      // The four u16 fields (channel, energy, flags, lost triggers) are one little-endian u64: one
      // read instead of four.
      long fields = LittleEndian.i64(buffer, record + FrameDescriptor.EVENT_CHANNEL_OFFSET);
      onEvent(
          LittleEndian.i64(buffer, record + FrameDescriptor.EVENT_TIMESTAMP_OFFSET),
          (int) fields & 0xFFFF,
          (int) (fields >>> 16) & 0xFFFF,
          (int) (fields >>> 32) & 0xFFFF,
          (int) (fields >>> 48));
      record += FrameDescriptor.EVENT_RECORD_LENGTH;
    }
  }

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
