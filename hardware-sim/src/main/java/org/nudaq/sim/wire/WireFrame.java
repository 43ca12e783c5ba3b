package org.nudaq.sim.wire;

import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.FrameDescriptor;

/**
 * A frame the simulator hands to the channel; {@link WireFrameEncoder} turns it into bytes. One
 * object per frame (never per event): an EVENTS frame carries a preallocated {@link EventBatch}.
 */
public sealed interface WireFrame {

  int boardId();

  /** Frame sequence number (u64); owned by the board, continues across reconnects. */
  long sequence();

  /** Encoded length in bytes, for sizing the output buffer exactly. */
  int frameLength();

  /** HELLO: the first frame on every connection. */
  record Hello(int boardId, long sequence, BoardHello hello) implements WireFrame {
    @Override
    public int frameLength() {
      return FrameDescriptor.HELLO_FRAME_LENGTH;
    }
  }

  /**
   * EVENTS: the batch belongs to the channel until the write completes (the encoder copies it into
   * the output buffer and does not keep it); reuse it after the write future completes.
   */
  record Events(int boardId, long sequence, EventBatch events) implements WireFrame {
    @Override
    public int frameLength() {
      return FrameDescriptor.eventsFrameLength(events.size());
    }
  }

  /** STATUS: the board's clocks and per-channel counters. */
  record Status(int boardId, long sequence, BoardStatus status) implements WireFrame {
    @Override
    public int frameLength() {
      return FrameDescriptor.statusFrameLength(status.channels().size());
    }
  }

  /** GOODBYE: sent before an orderly close. */
  record Goodbye(int boardId, long sequence, int reasonCode) implements WireFrame {
    @Override
    public int frameLength() {
      return FrameDescriptor.GOODBYE_FRAME_LENGTH;
    }
  }
}
