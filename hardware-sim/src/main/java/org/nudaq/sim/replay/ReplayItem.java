package org.nudaq.sim.replay;

/**
 * One thing a replayed board does, in recorded order: send a wire frame exactly as journaled, or
 * end the connection where the recorded link went down.
 *
 * @param frame          the complete wire frame (header, payload, CRC) as the daemon validated it;
 *                       null for a link-down
 * @param wallClockEpochMs when the recording daemon journaled it, ms since the epoch
 */
public record ReplayItem(byte[] frame, long wallClockEpochMs) {

  /** Whether this is the recorded end of a connection rather than a frame. */
  public boolean isLinkDown() {
    return frame == null;
  }
}
