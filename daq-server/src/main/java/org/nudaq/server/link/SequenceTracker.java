package org.nudaq.server.link;

/**
 * Follows one board's frame sequence numbers (docs/wire-protocol.md §5): they rise by one per frame,
 * continue across reconnects and restart only when the board restarts. Sequence numbers are u64 and
 * compared and subtracted as unsigned numbers. The rules (docs/wire-protocol.md §2.2):
 * <ul>
 *   <li>a HELLO whose number is below the next one expected: the board restarted (counting starts again);
 *   <li>any frame more than {@code jumpMaxFrames} ahead of the next one expected: a sequence reset,
 *       counted as such and not as lost frames (a jump of 2^63 is a board that changed its numbering,
 *       not 2^63 frames lost); counting starts again at it;
 *   <li>any other frame ahead: a gap of that many lost frames;
 *   <li>a frame other than HELLO below the next one expected: a duplicate, dropped.
 * </ul>
 * Frames the link received but could not pass on (the link path failed: out of memory, a closed
 * link) are carried into the next accepted frame's gap, so every numbered frame is either passed on
 * or counted lost. Single-threaded (the link's event loop).
 */
final class SequenceTracker {
  /** What to do with a frame. */
  enum Verdict {
    /** In order, or after a counted gap: pass it on. */
    ACCEPT,
    /** Already seen: drop it so no event counts twice. */
    DUPLICATE
  }

  private final long jumpMaxFrames;
  private boolean started;
  private long expected;
  private long lastGap;
  private long lastCarried;
  private boolean lastReset;
  /** Frames received but not passed on, to add to the next gap. */
  private long dropped;

  /** @param jumpMaxFrames largest forward jump counted as lost frames (≥ 1) */
  SequenceTracker(long jumpMaxFrames) {
    this.jumpMaxFrames = jumpMaxFrames;
  }

  /** Frames missing before the last accepted frame by its sequence number (0 when it followed in order); never negative. */
  long lastGap() {
    return lastGap;
  }

  /** Frames received but not passed on ({@link #dropped}) since the previous accepted frame, carried to this one. */
  long lastCarried() {
    return lastCarried;
  }

  /** Whether the last accepted frame jumped beyond the window (a sequence reset, not a gap). */
  boolean lastWasReset() {
    return lastReset;
  }

  /** Whether a numbering is being followed (a frame was accepted since the start or the last restart). */
  boolean started() {
    return started;
  }

  /** A HELLO: a sequence number that went back means the board restarted. */
  boolean hello(long sequence) {
    boolean restart = started && Long.compareUnsigned(sequence, expected) < 0;
    if (restart) {
      started = false;
    }
    return restart;
  }

  /** Continues after {@code lastSequence} (the last frame journaled before a restart of the daemon). */
  void resumeAfter(long lastSequence) {
    started = true;
    expected = lastSequence + 1;
  }

  /**
   * Frames accepted by {@link #next} could not be passed on: {@code frames} (the frame and the gap it
   * carried) are added to the next accepted frame's gap.
   */
  void dropped(long frames) {
    dropped += frames;
  }

  Verdict next(long sequence) {
    lastGap = 0;
    lastCarried = 0;
    lastReset = false;
    if (!started) {
      started = true;
      expected = sequence + 1;
      takeDropped();
      return Verdict.ACCEPT;
    }
    if (Long.compareUnsigned(sequence, expected) < 0) {
      return Verdict.DUPLICATE;
    }
    long jump = sequence - expected; // unsigned: 0 .. 2^64 − 1
    if (Long.compareUnsigned(jump, jumpMaxFrames) > 0) {
      lastReset = true;
    } else {
      lastGap = jump;
    }
    expected = sequence + 1;
    takeDropped();
    return Verdict.ACCEPT;
  }

  private void takeDropped() {
    lastCarried = dropped;
    dropped = 0;
  }
}
