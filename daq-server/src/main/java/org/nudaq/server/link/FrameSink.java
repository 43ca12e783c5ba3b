package org.nudaq.server.link;

import io.netty.buffer.ByteBuf;

/**
 * Where a board link hands its validated frames: the journal and the pipeline thread. Called on the
 * link's event loop.
 */
public interface FrameSink {

  /**
   * Takes the frame (copying what it needs; the caller keeps ownership of the buffer).
   *
   * @param framesLostBefore frames of this board missing just before this one (a sequence gap)
   * @return false when there is no room now; the link then stops reading and retries after
   *     {@link #whenSpace} calls back — nothing is dropped
   */
  boolean offer(int boardId, ByteBuf frame, long framesLostBefore);

  /** Runs {@code callback} once, on any thread, when {@link #offer} may succeed again. */
  void whenSpace(Runnable callback);

  /**
   * The link now holds {@code frames} more (negative: fewer) frames it received whole but could not hand
   * over yet (the sink was full). The sink's owner waits for them at shutdown, so that stopping the daemon
   * under back-pressure loses nothing already received.
   */
  default void holding(int frames) {}

  /** The board's link came up (HELLO received) or went down. */
  default void linkState(int boardId, boolean up) {}
}
