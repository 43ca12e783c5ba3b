package org.nudaq.server.link;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one digitizer board's link: what arrived, what was wrong with it and what was lost.
 * Written by the board's event-loop thread, read by metrics and the API from any thread.
 */
public final class LinkStats {
  private final int boardId;
  final AtomicLong framesReceived = new AtomicLong();
  final AtomicLong bytesReceived = new AtomicLong();
  final AtomicLong eventsReceived = new AtomicLong();
  final AtomicLong crcErrors = new AtomicLong();
  final AtomicLong malformedFrames = new AtomicLong();
  final AtomicLong skippedBytes = new AtomicLong();
  final AtomicLong cutFrameBytes = new AtomicLong();
  final AtomicLong resyncs = new AtomicLong();
  final AtomicLong sequenceGaps = new AtomicLong();
  final AtomicLong framesLost = new AtomicLong();
  final AtomicLong duplicateFrames = new AtomicLong();
  final AtomicLong duplicateFrameEvents = new AtomicLong();
  final AtomicLong framesBeforeHello = new AtomicLong();
  final AtomicLong boardRestarts = new AtomicLong();
  final ConnectionCounts connection = new ConnectionCounts();
  final AtomicLong backpressurePauses = new AtomicLong();
  final AtomicLong goodbyes = new AtomicLong();
  final AtomicLong sequenceResets = new AtomicLong();
  final AtomicLong framesDropped = new AtomicLong();
  final AtomicLong foreignFrames = new AtomicLong();
  final AtomicLong helloTimeouts = new AtomicLong();
  private volatile boolean up;

  public LinkStats(int boardId) {
    this.boardId = boardId;
  }

  public int boardId() {
    return boardId;
  }

  /** Whether the board is connected and has sent its HELLO. */
  public boolean up() {
    return up;
  }

  void up(boolean value) {
    up = value;
  }

  /** Complete, valid frames passed on (duplicates excluded). */
  public long framesReceived() {
    return framesReceived.get();
  }

  public long bytesReceived() {
    return bytesReceived.get();
  }

  /** Events in the frames passed on. */
  public long eventsReceived() {
    return eventsReceived.get();
  }

  /** Frames whose CRC did not match (dropped; their events show up as a sequence gap). */
  public long crcErrors() {
    return crcErrors.get();
  }

  /** Frames with a valid CRC but an inconsistent layout, or a bad header (dropped). */
  public long malformedFrames() {
    return malformedFrames.get();
  }

  /**
   * Bytes received that were not part of a valid frame: skipped while searching for the next
   * magic word, the bytes of frames that failed validation, and what was left of a frame cut off
   * by a disconnect. Frames passed on plus these bytes are every byte the link received.
   */
  public long skippedBytes() {
    return skippedBytes.get();
  }

  /**
   * Bytes of a frame cut off when a connection ended (the daemon's stop, or a lost link), discarded: the part
   * of {@link #skippedBytes()} that was received but is not a whole frame. The frame, and those the board
   * sent after it on that connection, count as lost by the next frame's sequence gap.
   */
  public long cutFrameBytes() {
    return cutFrameBytes.get();
  }

  /** Times the decoder lost the frame boundary and searched for the magic word. */
  public long resyncs() {
    return resyncs.get();
  }

  /** Jumps in the sequence numbers (each may hide several frames). */
  public long sequenceGaps() {
    return sequenceGaps.get();
  }

  /**
   * Frames the board sent that were not passed on: never arrived whole (sum of the sequence gaps), or
   * arrived but were dropped by the link ({@link #framesDropped()}).
   */
  public long framesLost() {
    return framesLost.get();
  }

  /** Frames received twice (same sequence number), dropped so no event counts twice. */
  public long duplicateFrames() {
    return duplicateFrames.get();
  }

  /**
   * Events in the frames dropped as duplicates: with {@link #eventsReceived()} every event of every
   * whole frame that arrived is accounted for.
   */
  public long duplicateFrameEvents() {
    return duplicateFrameEvents.get();
  }

  /**
   * Frames that came before the board's HELLO on a connection (dropped). Their sequence numbers are
   * below the HELLO's, so when the board continues its numbering they are also in {@link #framesLost()}.
   */
  public long framesBeforeHello() {
    return framesBeforeHello.get();
  }

  /**
   * Forward jumps of the sequence number beyond {@code digitizer.sequenceJumpMaxFrames}: counted as a
   * reset of the board's numbering (like a restart), not as lost frames.
   */
  public long sequenceResets() {
    return sequenceResets.get();
  }

  /**
   * Frames that arrived whole and valid but could not be passed on (the link path failed, e.g. out of
   * memory, or the daemon stopped with them waiting); each is also counted in {@link #framesLost()}
   * and in the next frame's gap, so the session's accounting includes them.
   */
  public long framesDropped() {
    return framesDropped.get();
  }

  /** Frames carrying another board's id (dropped; the connection is closed and made again). */
  public long foreignFrames() {
    return foreignFrames.get();
  }

  /** Connections closed because no HELLO came within {@code digitizer.helloTimeoutMs}. */
  public long helloTimeouts() {
    return helloTimeouts.get();
  }

  /** HELLOs with a sequence number that went back: the board restarted. */
  public long boardRestarts() {
    return boardRestarts.get();
  }

  public long connects() {
    return connection.connects();
  }

  public long disconnects() {
    return connection.disconnects();
  }

  public long connectFailures() {
    return connection.connectFailures();
  }

  /** Where the link's connection stands. */
  public ConnectionState connectionState() {
    return connection.state();
  }

  /** Orderly ends of the board's stream (GOODBYE frames). */
  public long goodbyes() {
    return goodbyes.get();
  }

  /** Times reading stopped because the pipeline fell behind. */
  public long backpressurePauses() {
    return backpressurePauses.get();
  }
}
