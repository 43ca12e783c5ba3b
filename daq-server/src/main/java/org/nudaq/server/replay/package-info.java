/**
 * Replaying a journal session through a fresh pipeline with exactly the live daemon's input calls, for
 * bit-identical results or a re-analysis with other cuts. {@code JournalReplay} runs on the calling thread;
 * {@code ParallelReplay} (every session, {@code --all-sessions}) replays each session on one of its own
 * "replay-N" threads, and {@code SegmentedJournalReplay} (one session cut in time, {@code --threads N})
 * each segment on its own "replay-segment-N" thread and joins them on the calling thread; each pipeline is
 * owned by one thread, and every call shuts its threads down before it returns ({@code ReplayTasks}: the pool
 * and how a task's failure reaches the caller). {@code JournaledCalibrations} reads a session's applied
 * calibrations for the limits of {@code --all-sessions} (on the thread that writes the session's results).
 */
package org.nudaq.server.replay;
