package org.nudaq.server.ingest;

/**
 * What the pipeline thread records, in order, before each input reaches the pipeline: the journal
 * ({@code org.nudaq.server.journal.JournalWriter}) or nothing. Called on the pipeline thread only.
 *
 * <p>Every record method may throw {@link RecordingRefusedException} when the input could not be
 * recorded (nothing of it was written); the pipeline thread then keeps the input, takes no new ones
 * while {@link #accepting()} is false, and records it again when space returns.
 *
 * <p>No method has a default body, on purpose: a decorator (e.g. the daemon's ProgressRecorder) must
 * forward every call, or it does not compile — a fault signal silently dropped by a default no-op once
 * let the journal keep accepting after its mapped file faulted (issue 13).
 */
public interface IngestRecorder {
  /** Records nothing (journal disabled, tests of the pipeline alone). */
  IngestRecorder NONE = new Nothing();

  /**
   * Whether inputs can be recorded now (false while the journal's disk is below its floor, rechecked
   * by the recorder at most about once a second). While false the pipeline thread takes no frames, so
   * the frame queue fills and the links stop reading. Cheap: called before every frame.
   */
  boolean accepting();

  /** A validated frame (its bytes are {@code data[0, length)}), with the frames missing before it. */
  void frame(int boardId, byte[] data, int length, long framesLostBefore);

  /** A board link came up (HELLO seen) or went down. */
  void linkState(int boardId, boolean up);

  /** A wall-clock idleness check of the merge, with the monotonic time it used, ns. */
  void idle(long wallClockNanos);

  /** A reactor state set through the control API, from data time {@code effectiveTimeNs}. */
  void reactorState(org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs);

  /** The pipeline was finished (clean end of the session). */
  void finished();

  /**
   * A fault of the recording medium reached the pipeline thread outside a record method (for a
   * memory-mapped journal, the InternalError of a SIGBUS, which the JVM delivers late): the recorder
   * stops accepting until it can record again.
   */
  void faulted(Throwable e);

  /** The recorder that records nothing: always accepting, every call a no-op. */
  final class Nothing implements IngestRecorder {
    private Nothing() {}

    @Override public boolean accepting() {
      return true;
    }

    @Override public void frame(int boardId, byte[] data, int length, long framesLostBefore) {}

    @Override public void linkState(int boardId, boolean up) {}

    @Override public void idle(long wallClockNanos) {}

    @Override public void reactorState(org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {}

    @Override public void finished() {}

    @Override public void faulted(Throwable e) {}
  }
}
