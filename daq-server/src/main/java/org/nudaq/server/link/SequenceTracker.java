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
 * or counted lost.
 *
 * <p>A daemon started after a stop follows the numbering on from the last frame journaled; the stopping process's
 * link may have counted some of the frames after it lost already (received but not passed on, or its own gaps):
 * {@link #resumeAfter(long, long)} is told how many, and the first gap says which part of it is new to this process
 * ({@link #lastRecounted}), so summing the processes' counts counts each lost frame once.
 *
 * <p>Not thread-safe: written only on the link's event-loop thread (and by {@link #resumeAfter} on the thread that
 * builds the daemon, before the link starts: the event loop's start publishes it). The one read from another thread
 * is {@link #numberedThrough}, by the daemon's stop ({@code Daemon.close}) only after
 * {@code group.shutdownGracefully(..).syncUninterruptibly()} returned: the event loop's thread ran its last task and
 * then completed its termination future (which completes the group's), and waiting on that future (a volatile read
 * of its result) makes every write of the event loop happen-before the read. So the fields are plain; a read from
 * another thread while the event loop runs is not allowed.
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
  /** Frames of the next gap that an earlier process's link counted lost already (after a resume). */
  private long countedEarlier;
  private long lastRecounted;
  /**
   * The last sequence number taken into the numbering (passed on or counted lost), valid while {@link #numbering}.
   * Plain fields: read by another thread only after the event loop ended (class comment).
   */
  private long numberedThrough;
  private boolean numbering;

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

  /**
   * Of {@link #lastGap}, the frames an earlier process's link counted lost already (the first gap after
   * {@link #resumeAfter(long, long)}; 0 otherwise).
   */
  long lastRecounted() {
    return lastRecounted;
  }

  /**
   * The last sequence number taken into the numbering (every frame up to it was passed on or counted lost by this
   * link), or null when no numbering is followed. On the event-loop thread, or on another thread only after the
   * event loop has terminated and that thread waited for its termination (class comment).
   */
  Long numberedThrough() {
    return numbering ? numberedThrough : null;
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
      countedEarlier = 0;
      numbering = false;
    }
    return restart;
  }

  /**
   * Continues after {@code lastSequence} (the last frame journaled before a restart of the daemon), of which
   * the next gap's first {@code countedEarlier} frames were counted lost by the earlier process's link.
   */
  void resumeAfter(long lastSequence, long countedEarlier) {
    started = true;
    expected = lastSequence + 1;
    this.countedEarlier = countedEarlier;
    numberedThrough = lastSequence;
    numbering = true;
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
    lastRecounted = 0;
    lastReset = false;
    if (!started) {
      started = true;
      expected = sequence + 1;
      numbered(sequence);
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
      lastRecounted = Math.min(jump, countedEarlier);
    }
    countedEarlier = 0;
    expected = sequence + 1;
    numbered(sequence);
    takeDropped();
    return Verdict.ACCEPT;
  }

  private void numbered(long sequence) {
    numberedThrough = sequence;
    numbering = true;
  }

  private void takeDropped() {
    lastCarried = dropped;
    dropped = 0;
  }
}
