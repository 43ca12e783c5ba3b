package org.nudaq.server.ingest;

/**
 * Called by the pipeline thread ({@link IngestLoop}) between inputs, where the pipeline holds exactly
 * the effect of every input recorded so far — the moment a checkpoint can be taken with the
 * journal index of the last record. Called once per loop turn (per frame, or every 20 ms when idle):
 * an implementation returns at once unless it has work due.
 */
@FunctionalInterface
public interface PipelineCheckpoint {
  /** Does nothing (no snapshots). */
  PipelineCheckpoint NONE = nowNanos -> {};

  /** @param nowNanos the loop's monotonic time ({@link System#nanoTime()}), ns */
  void betweenInputs(long nowNanos);
}
