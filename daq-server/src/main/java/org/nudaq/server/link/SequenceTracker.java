package org.nudaq.server.link;

/**
 * Follows one board's frame sequence numbers (docs/wire-protocol.md §5): they rise by one per frame,
 * continue across reconnects and restart only when the board restarts. Single-threaded.
 */
final class SequenceTracker {
  /** What to do with a frame. */
  enum Verdict {
    /** In order, or after a counted gap: pass it on. */
    ACCEPT,
    /** Already seen: drop it so no event counts twice. */
    DUPLICATE
  }

  private boolean started;
  private long expected;
  private long lastGap;

  /** Frames missing before the last accepted frame (0 when it followed in order). */
  long lastGap() {
    return lastGap;
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

  Verdict next(long sequence) {
    lastGap = 0;
    if (!started) {
      started = true;
      expected = sequence + 1;
      return Verdict.ACCEPT;
    }
    int cmp = Long.compareUnsigned(sequence, expected);
    if (cmp < 0) {
      return Verdict.DUPLICATE;
    }
    lastGap = sequence - expected;
    expected = sequence + 1;
    return Verdict.ACCEPT;
  }
}
