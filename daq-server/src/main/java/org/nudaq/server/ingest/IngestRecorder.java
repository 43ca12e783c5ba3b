package org.nudaq.server.ingest;

/**
 * What the pipeline thread records, in order, before each input reaches the pipeline: the journal
 * ({@code org.nudaq.server.journal.JournalWriter}) or nothing. Called on the pipeline thread only.
 */
public interface IngestRecorder {
  /** Records nothing (journal disabled, tests of the pipeline alone). */
  IngestRecorder NONE = new IngestRecorder() {};

  /** A validated frame (its bytes are {@code data[0, length)}), with the frames missing before it. */
  default void frame(int boardId, byte[] data, int length, long framesLostBefore) {}

  /** A board link came up (HELLO seen) or went down. */
  default void linkState(int boardId, boolean up) {}

  /** A wall-clock idleness check of the merge, with the monotonic time it used, ns. */
  default void idle(long wallClockNanos) {}

  /** A reactor state set through the control API, from data time {@code effectiveTimeNs}. */
  default void reactorState(boolean on, long effectiveTimeNs) {}

  /** The pipeline was finished (clean end of the session). */
  default void finished() {}
}
