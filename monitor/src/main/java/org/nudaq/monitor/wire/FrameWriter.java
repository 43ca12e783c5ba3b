package org.nudaq.monitor.wire;

import static org.nudaq.monitor.wire.FrameDescriptor.*;

import java.nio.ByteBuffer;

/**
 * Encodes protocol-version-1 frames into a caller-owned {@link ByteBuffer} (heap or direct; for a
 * {@code byte[]} use {@link ByteBuffer#wrap(byte[])}) at an absolute offset. The buffer's position,
 * limit and byte order are never changed; the frame must fit below the buffer's limit.
 *
 * <p>EVENTS frames are built incrementally without allocation: {@link #beginEvents}, then
 * {@link #appendEvent} per event (returns {@code false} when the frame is full, like Aeron's
 * {@code offer}), then {@link #finishEvents} writes count, length and CRC.
 *
 * <p>The caller owns the frame sequence number (it continues across reconnects; see
 * docs/wire-protocol.md). Not thread-safe: one writer per thread.
 */
public final class FrameWriter {

  private final Crc crc = new Crc();

  private ByteBuffer events;
  private int eventsOffset;
  private int eventCount;
  private int eventCapacity;

  /** Writes a HELLO frame; returns its length ({@link FrameDescriptor#HELLO_FRAME_LENGTH}). */
  public int writeHello(ByteBuffer dst, int offset, int boardId, long sequence, BoardHello hello) {
    requireSpace(dst, offset, HELLO_FRAME_LENGTH, "HELLO");
    writeHeader(dst, offset, TYPE_HELLO, HELLO_FRAME_LENGTH, boardId, sequence);
    LittleEndian.put64(dst, offset + HELLO_BOARD_TIME_OFFSET, hello.boardTimeTicks());
    LittleEndian.put32(dst, offset + HELLO_TICK_LENGTH_PS_OFFSET, (int) hello.tickLengthPs());
    LittleEndian.put32(dst, offset + HELLO_STATUS_PERIOD_MS_OFFSET, (int) hello.statusPeriodMs());
    LittleEndian.put16(dst, offset + HELLO_FIRMWARE_MAJOR_OFFSET, hello.firmwareMajor());
    LittleEndian.put16(dst, offset + HELLO_FIRMWARE_MINOR_OFFSET, hello.firmwareMinor());
    LittleEndian.put16(dst, offset + HELLO_CHANNEL_COUNT_OFFSET, hello.channelCount());
    LittleEndian.put8(dst, offset + HELLO_ADC_BITS_OFFSET, hello.adcBits());
    LittleEndian.put8(dst, offset + HELLO_CAPABILITIES_OFFSET, hello.capabilities());
    return seal(dst, offset, HELLO_FRAME_LENGTH);
  }

  /**
   * Starts an EVENTS frame at {@code offset}. Its capacity is the smaller of
   * {@link FrameDescriptor#MAX_EVENTS_PER_FRAME} and what fits below {@code dst.limit()}.
   */
  public void beginEvents(ByteBuffer dst, int offset, int boardId, long sequence) {
    requireSpace(dst, offset, EVENTS_FIXED_LENGTH, "EVENTS");
    writeHeader(dst, offset, TYPE_EVENTS, 0, boardId, sequence);
    LittleEndian.put32(dst, offset + EVENTS_RESERVED_OFFSET, 0);
    events = dst;
    eventsOffset = offset;
    eventCount = 0;
    eventCapacity =
        Math.min(MAX_EVENTS_PER_FRAME, (dst.limit() - offset - EVENTS_FIXED_LENGTH) / EVENT_RECORD_LENGTH);
  }

  /**
   * Appends one event record to the open EVENTS frame.
   *
   * @param timestampTicks board timestamp in ticks (u64)
   * @param channel 0..65535
   * @param energyAdc 0..65535 ADC units
   * @param flags {@link EventFlags} bits, 0..0xFFFF
   * @param lostTriggersBefore triggers lost just before this event; values above 65535 are sent as
   *     65535 (the exact total is in the STATUS counters)
   * @return {@code false} (and nothing written) when the frame is full: finish it and start another
   */
  public boolean appendEvent(
      long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
    if (events == null) {
      throw new IllegalStateException("appendEvent without beginEvents");
    }
    if (((channel | energyAdc | flags) & ~0xFFFF) != 0 || lostTriggersBefore < 0) {
      throw new IllegalArgumentException(
          "event field out of u16 range: channel=" + channel + " energyAdc=" + energyAdc
              + " flags=0x" + Integer.toHexString(flags) + " lostTriggersBefore=" + lostTriggersBefore);
    }
    if (eventCount == eventCapacity) {
      return false;
    }
    int record = eventsOffset + EVENTS_FIRST_RECORD_OFFSET + eventCount * EVENT_RECORD_LENGTH;
    LittleEndian.put64(events, record + EVENT_TIMESTAMP_OFFSET, timestampTicks);
    LittleEndian.put16(events, record + EVENT_CHANNEL_OFFSET, channel);
    LittleEndian.put16(events, record + EVENT_ENERGY_OFFSET, energyAdc);
    LittleEndian.put16(events, record + EVENT_FLAGS_OFFSET, flags);
    LittleEndian.put16(events, record + EVENT_LOST_TRIGGERS_OFFSET, Math.min(lostTriggersBefore, 0xFFFF));
    eventCount++;
    return true;
  }

  /** Number of events appended to the open EVENTS frame. */
  public int eventCount() {
    return eventCount;
  }

  /** Completes the open EVENTS frame (count, length, CRC); returns its length in bytes. */
  public int finishEvents() {
    if (events == null) {
      throw new IllegalStateException("finishEvents without beginEvents");
    }
    ByteBuffer dst = events;
    events = null;
    int length = eventsFrameLength(eventCount);
    LittleEndian.put32(dst, eventsOffset + EVENTS_COUNT_OFFSET, eventCount);
    LittleEndian.put32(dst, eventsOffset + FRAME_LENGTH_OFFSET, length);
    return seal(dst, eventsOffset, length);
  }

  /** Writes a STATUS frame; returns its length in bytes. */
  public int writeStatus(ByteBuffer dst, int offset, int boardId, long sequence, BoardStatus status) {
    int channels = status.channels().size();
    int length = statusFrameLength(channels);
    requireSpace(dst, offset, length, "STATUS");
    writeHeader(dst, offset, TYPE_STATUS, length, boardId, sequence);
    LittleEndian.put64(dst, offset + STATUS_BOARD_TIME_OFFSET, status.boardTimeTicks());
    LittleEndian.put64(dst, offset + STATUS_REAL_TIME_OFFSET, status.realTimeTicks());
    LittleEndian.put16(dst, offset + STATUS_CHANNEL_COUNT_OFFSET, channels);
    LittleEndian.put8(dst, offset + STATUS_REACTOR_STATE_OFFSET, status.reactorState());
    LittleEndian.put8(dst, offset + STATUS_RESERVED_OFFSET, 0);
    LittleEndian.put32(dst, offset + STATUS_REACTOR_POWER_OFFSET, (int) status.reactorPowerPpm());
    int record = offset + STATUS_FIRST_CHANNEL_OFFSET;
    for (int i = 0; i < channels; i++) {
      ChannelCounters c = status.channels().get(i);
      LittleEndian.put16(dst, record + CHANNEL_CHANNEL_OFFSET, c.channel());
      LittleEndian.put16(dst, record + CHANNEL_RESERVED_OFFSET, 0);
      LittleEndian.put32(dst, record + CHANNEL_RESERVED_OFFSET + 2, 0);
      LittleEndian.put64(dst, record + CHANNEL_LIVE_TIME_OFFSET, c.liveTimeTicks());
      LittleEndian.put64(dst, record + CHANNEL_DEAD_TIME_OFFSET, c.deadTimeTicks());
      LittleEndian.put64(dst, record + CHANNEL_ACCEPTED_TRIGGERS_OFFSET, c.acceptedTriggers());
      LittleEndian.put64(dst, record + CHANNEL_LOST_TRIGGERS_OFFSET, c.lostTriggers());
      record += CHANNEL_RECORD_LENGTH;
    }
    return seal(dst, offset, length);
  }

  /** Writes a GOODBYE frame; returns its length ({@link FrameDescriptor#GOODBYE_FRAME_LENGTH}). */
  public int writeGoodbye(ByteBuffer dst, int offset, int boardId, long sequence, int reasonCode) {
    requireSpace(dst, offset, GOODBYE_FRAME_LENGTH, "GOODBYE");
    writeHeader(dst, offset, TYPE_GOODBYE, GOODBYE_FRAME_LENGTH, boardId, sequence);
    LittleEndian.put32(dst, offset + GOODBYE_REASON_OFFSET, reasonCode);
    LittleEndian.put32(dst, offset + GOODBYE_RESERVED_OFFSET, 0);
    return seal(dst, offset, GOODBYE_FRAME_LENGTH);
  }

  private static void writeHeader(
      ByteBuffer dst, int offset, int type, int length, int boardId, long sequence) {
    if ((boardId & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("boardId=" + boardId + " out of range 0..65535");
    }
    LittleEndian.put32(dst, offset + MAGIC_OFFSET, MAGIC);
    LittleEndian.put8(dst, offset + VERSION_OFFSET, VERSION);
    LittleEndian.put8(dst, offset + TYPE_OFFSET, type);
    LittleEndian.put16(dst, offset + HEADER_FLAGS_OFFSET, 0);
    LittleEndian.put32(dst, offset + FRAME_LENGTH_OFFSET, length);
    LittleEndian.put16(dst, offset + BOARD_ID_OFFSET, boardId);
    LittleEndian.put16(dst, offset + HEADER_RESERVED_OFFSET, 0);
    LittleEndian.put64(dst, offset + SEQUENCE_OFFSET, sequence);
  }

  /** Writes the CRC-32C of everything before it as the last four bytes. */
  private int seal(ByteBuffer dst, int offset, int length) {
    int crcOffset = offset + length - CRC_LENGTH;
    LittleEndian.put32(dst, crcOffset, crc.crc32c(dst, offset, length - CRC_LENGTH));
    return length;
  }

  private static void requireSpace(ByteBuffer dst, int offset, int needed, String type) {
    if (offset < 0 || dst.limit() - offset < needed) {
      throw new IllegalArgumentException(
          type + " frame needs " + needed + " bytes from byte " + offset + " of the buffer, but its limit is " + dst.limit());
    }
  }
}
