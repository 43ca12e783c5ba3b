package org.nudaq.sim.wire;

import static org.nudaq.monitor.wire.FrameDescriptor.*;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.Crc;

/**
 * Writes protocol-version-1 frames straight into a Netty {@link ByteBuf} at its writer index, using
 * the layout of {@link org.nudaq.monitor.wire.FrameDescriptor} and little-endian writes
 * ({@code writeIntLE} etc.). EVENTS frames are built without allocation: {@link #beginEvents},
 * {@link #appendEvent} per event ({@code false} once the frame holds
 * {@link org.nudaq.monitor.wire.FrameDescriptor#MAX_EVENTS_PER_FRAME} events), {@link #finishEvents}.
 * The buffer grows as needed (up to its max capacity). The caller owns sequence numbers.
 *
 * <p>Not thread-safe: use one instance per event-loop thread or per channel.
 */
public final class ByteBufFrameWriter {

  private final Crc crc = new Crc();

  private ByteBuf events;
  private int eventsStart;
  private int eventCount;

  /** Appends a HELLO frame; returns its length in bytes. */
  public int writeHello(ByteBuf out, int boardId, long sequence, BoardHello hello) {
    int start = writeHeader(out, TYPE_HELLO, HELLO_FRAME_LENGTH, boardId, sequence);
    out.writeLongLE(hello.boardTimeTicks());
    out.writeIntLE((int) hello.tickLengthPs());
    out.writeIntLE((int) hello.statusPeriodMs());
    out.writeShortLE(hello.firmwareMajor());
    out.writeShortLE(hello.firmwareMinor());
    out.writeShortLE(hello.channelCount());
    out.writeByte(hello.adcBits());
    out.writeByte(hello.capabilities());
    return seal(out, start);
  }

  /** Starts an EVENTS frame at the writer index; the count and length are filled in by {@link #finishEvents}. */
  public void beginEvents(ByteBuf out, int boardId, long sequence) {
    eventsStart = writeHeader(out, TYPE_EVENTS, 0, boardId, sequence);
    out.writeIntLE(0); // event count, patched in finishEvents
    out.writeIntLE(0); // reserved
    events = out;
    eventCount = 0;
  }

  /**
   * Appends one event record to the open EVENTS frame (fields as in
   * {@link org.nudaq.monitor.wire.FrameWriter#appendEvent}).
   *
   * @return {@code false} (nothing written) when the frame already holds the maximum number of events
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
    if (eventCount == MAX_EVENTS_PER_FRAME) {
      return false;
    }
    events.writeLongLE(timestampTicks);
    events.writeShortLE(channel);
    events.writeShortLE(energyAdc);
    events.writeShortLE(flags);
    events.writeShortLE(Math.min(lostTriggersBefore, 0xFFFF));
    eventCount++;
    return true;
  }

  /** Number of events in the open EVENTS frame. */
  public int eventCount() {
    return eventCount;
  }

  /** Completes the open EVENTS frame (count, length, CRC); returns its length in bytes. */
  public int finishEvents() {
    if (events == null) {
      throw new IllegalStateException("finishEvents without beginEvents");
    }
    ByteBuf out = events;
    events = null;
    out.setIntLE(eventsStart + EVENTS_COUNT_OFFSET, eventCount);
    out.setIntLE(eventsStart + FRAME_LENGTH_OFFSET, eventsFrameLength(eventCount));
    return seal(out, eventsStart);
  }

  /** Appends a STATUS frame; returns its length in bytes. */
  public int writeStatus(ByteBuf out, int boardId, long sequence, BoardStatus status) {
    List<ChannelCounters> channels = status.channels();
    int start = writeHeader(out, TYPE_STATUS, statusFrameLength(channels.size()), boardId, sequence);
    out.writeLongLE(status.boardTimeTicks());
    out.writeLongLE(status.realTimeTicks());
    out.writeShortLE(channels.size());
    out.writeByte(status.reactorState());
    out.writeByte(0); // reserved
    out.writeIntLE((int) status.reactorPowerPpm()); // 0: not reported
    for (int i = 0; i < channels.size(); i++) {
      ChannelCounters c = channels.get(i);
      out.writeShortLE(c.channel());
      out.writeShortLE(0); // reserved
      out.writeIntLE(0); // reserved
      out.writeLongLE(c.liveTimeTicks());
      out.writeLongLE(c.deadTimeTicks());
      out.writeLongLE(c.acceptedTriggers());
      out.writeLongLE(c.lostTriggers());
    }
    return seal(out, start);
  }

  /** Appends a GOODBYE frame; returns its length in bytes. */
  public int writeGoodbye(ByteBuf out, int boardId, long sequence, int reasonCode) {
    int start = writeHeader(out, TYPE_GOODBYE, GOODBYE_FRAME_LENGTH, boardId, sequence);
    out.writeIntLE(reasonCode);
    out.writeIntLE(0); // reserved
    return seal(out, start);
  }

  private static int writeHeader(ByteBuf out, int type, int length, int boardId, long sequence) {
    if ((boardId & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("boardId=" + boardId + " out of range 0..65535");
    }
    int start = out.writerIndex();
    out.writeIntLE(MAGIC);
    out.writeByte(VERSION);
    out.writeByte(type);
    out.writeShortLE(0); // header flags, reserved
    out.writeIntLE(length);
    out.writeShortLE(boardId);
    out.writeShortLE(0); // reserved
    out.writeLongLE(sequence);
    return start;
  }

  /** Appends the CRC-32C of [start, writerIndex) and returns the frame length. */
  private int seal(ByteBuf out, int start) {
    int covered = out.writerIndex() - start;
    int value = out.hasArray()
        ? crc.crc32c(out.array(), out.arrayOffset() + start, covered)
        : crc.crc32c(out.nioBuffer(start, covered), 0, covered);
    out.writeIntLE(value);
    return covered + CRC_LENGTH;
  }
}
