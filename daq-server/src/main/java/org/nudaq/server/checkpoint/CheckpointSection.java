package org.nudaq.server.checkpoint;

import org.nudaq.server.pipeline.StateReader;
import org.nudaq.server.pipeline.StateWriter;

/**
 * State a checkpoint carries after the pipeline's (the online calibration's, issue 17: its window of spectra
 * would otherwise start empty after every restart). Saved on the pipeline thread with the pipeline state, at
 * the same journal record; read by the recovery twice: once to check it (nothing changed), then to restore it.
 */
public interface CheckpointSection {
  /** Nothing after the pipeline state. */
  CheckpointSection NONE = new CheckpointSection() {
    @Override
    public void saveState(StateWriter out) {}

    @Override
    public Runnable readState(StateReader in) {
      return () -> {};
    }
  };

  /** Writes the section (pipeline thread, between inputs). */
  void saveState(StateWriter out);

  /**
   * Reads and checks the section, changing nothing; the action returned restores it.
   *
   * @throws org.nudaq.server.pipeline.StateFormatException naming what does not fit
   */
  Runnable readState(StateReader in);

  /**
   * The recovery found no usable checkpoint and replays {@code session} from its SESSION record (before the
   * first record is played): whatever the section held at the session's start is put back here. Nothing by
   * default.
   */
  default void beforeWholeSession(org.nudaq.server.journal.JournalSession session) {}
}
