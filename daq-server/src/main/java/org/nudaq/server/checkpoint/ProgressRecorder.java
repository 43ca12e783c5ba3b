package org.nudaq.server.checkpoint;

import org.nudaq.server.ingest.IngestRecorder;
import org.nudaq.server.journal.SessionProgress;

/**
 * The journal as the pipeline thread's recorder, noting each frame it journaled in the session's
 * {@link SessionProgress} (last sequence per board, frames, events) for the checkpoints. Pipeline
 * thread only; allocation-free per frame.
 */
public final class ProgressRecorder implements IngestRecorder {
  private final IngestRecorder journal;
  private final SessionProgress progress;

  public ProgressRecorder(IngestRecorder journal, SessionProgress progress) {
    this.journal = journal;
    this.progress = progress;
  }

  @Override
  public boolean accepting() {
    return journal.accepting();
  }

  @Override
  public void frame(int boardId, byte[] data, int length, long framesLostBefore) {
    journal.frame(boardId, data, length, framesLostBefore);
    progress.onFrame(boardId, data, length); // only once journaled: a refused frame throws above
  }

  @Override
  public void linkState(int boardId, boolean up) {
    journal.linkState(boardId, up);
  }

  @Override
  public void idle(long wallClockNanos) {
    journal.idle(wallClockNanos);
  }

  @Override
  public void reactorState(org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {
    journal.reactorState(state, powerFraction, effectiveTimeNs);
  }

  @Override
  public void finished() {
    journal.finished();
  }

  @Override
  public void faulted(Throwable e) {
    journal.faulted(e); // the journal must stop accepting: without this the fault was lost (issue 13)
  }
}
