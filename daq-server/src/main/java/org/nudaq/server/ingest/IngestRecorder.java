package org.nudaq.server.ingest;

/**
 * What the pipeline thread records, in order, before each input reaches the pipeline: the journal
 * ({@code org.nudaq.server.journal.JournalWriter}) or nothing. Called on the pipeline thread only.
 *
 * <p>Every record method may throw {@link RecordingRefusedException} when the input could not be
 * recorded (nothing of it was written); the pipeline thread then keeps the input, takes no new ones
 * while {@link #accepting()} is false, and records it again when space returns.
 */
public interface IngestRecorder {
  /** Records nothing (journal disabled, tests of the pipeline alone). */
  IngestRecorder NONE = new IngestRecorder() {};

  /**
   * Whether inputs can be recorded now (false while the journal's disk is below its floor, rechecked
   * by the recorder at most about once a second). While false the pipeline thread takes no frames, so
   * the frame queue fills and the links stop reading. Cheap: called before every frame.
   */
  default boolean accepting() {
    return true;
  }

  /** A validated frame (its bytes are {@code data[0, length)}), with the frames missing before it. */
  default void frame(int boardId, byte[] data, int length, long framesLostBefore) {}

  /** A board link came up (HELLO seen) or went down. */
  default void linkState(int boardId, boolean up) {}

  /** A wall-clock idleness check of the merge, with the monotonic time it used, ns. */
  default void idle(long wallClockNanos) {}

  /** A reactor state set through the control API, from data time {@code effectiveTimeNs}. */
  default void reactorState(org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {}

  /** The pipeline was finished (clean end of the session). */
  default void finished() {}

  /**
   * A fault of the recording medium reached the pipeline thread outside a record method (for a
   * memory-mapped journal, the InternalError of a SIGBUS, which the JVM delivers late): the recorder
   * stops accepting until it can record again.
   */
  default void faulted(Throwable e) {}
}
