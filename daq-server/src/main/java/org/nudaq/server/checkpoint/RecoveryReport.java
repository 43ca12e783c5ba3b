package org.nudaq.server.checkpoint;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * How crash recovery brought the pipeline back: from which checkpoint (or none: the whole session
 * replayed), why newer checkpoints were not used, and how much of the journal was replayed — or, when
 * the unclosed session's start was deleted by the retention and no checkpoint of it is usable, what was
 * not recovered. Immutable.
 *
 * @param outcome              the path recovery took
 * @param sessionStartIndex    journal index of the recovered session's SESSION record (from the checkpoint
 *                             when that record was deleted), −1 if not recovered
 * @param sessionStartEpochMs  that record's wall-clock time, epoch ms (with the index: the session's identity)
 * @param checkpointFile         the checkpoint restored, or null when none was
 * @param checkpointJournalIndex its journal index, or −1
 * @param rejected             checkpoints not used, newest first, each "file: reason"
 * @param framesReplayed       frames replayed from the journal after the checkpoint (or from the session start)
 * @param eventsReplayed       events in those frames
 * @param sessionFrames        frames journaled in the session in all (checkpoint's account + replayed); for
 *                             {@link Outcome#NOT_RECOVERED_START_DELETED} those still in the journal
 * @param elapsedNanos         wall time of the recovery (reading, restoring, replaying), ns
 * @param oldestKeptIndex      when the session's start was deleted: the oldest record left in the journal, else −1
 * @param framesNotRecovered   frames in the journal that are not in the recovered state (only
 *                             {@link Outcome#NOT_RECOVERED_START_DELETED}: all the session's frames kept)
 * @param keptFromEpochMs      when the session's start was deleted: wall-clock time of the oldest record kept
 * @param keptToEpochMs        when the session's start was deleted: wall-clock time of the journal's last record
 */
public record RecoveryReport(Outcome outcome, long sessionStartIndex, long sessionStartEpochMs, Path checkpointFile, long checkpointJournalIndex,
    List<String> rejected, long framesReplayed, long eventsReplayed, long sessionFrames, long elapsedNanos,
    long oldestKeptIndex, long framesNotRecovered, long keptFromEpochMs, long keptToEpochMs) {

  /** The path recovery took. */
  public enum Outcome {
    /** The newest usable checkpoint restored, the journal after it replayed. */
    CHECKPOINT("checkpoint"),
    /** No usable checkpoint: the whole session replayed from its SESSION record. */
    WHOLE_SESSION("whole-session"),
    /** The session's SESSION record was deleted by the retention; a checkpoint restored, the journal after it replayed. */
    CHECKPOINT_START_DELETED("checkpoint-session-start-deleted"),
    /** The session's SESSION record was deleted and no checkpoint of it is usable: nothing recovered, a new session began. */
    NOT_RECOVERED_START_DELETED("not-recovered-session-start-deleted");

    /** The name in the run summary. */
    public final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  public RecoveryReport {
    rejected = List.copyOf(rejected);
  }

  /** Whether a checkpoint was restored (only the journal after it was replayed). */
  public boolean fromCheckpoint() {
    return checkpointFile != null;
  }

  /** Whether the pipeline holds the unclosed session's state (false: a new session began). */
  public boolean recovered() {
    return outcome != Outcome.NOT_RECOVERED_START_DELETED;
  }

  /** Whether the session's SESSION record was no longer in the journal (deleted by the retention). */
  public boolean sessionStartDeleted() {
    return outcome == Outcome.CHECKPOINT_START_DELETED || outcome == Outcome.NOT_RECOVERED_START_DELETED;
  }

  /** One log line: what was restored and replayed, or why the whole session was replayed, or what was lost. */
  public String describe() {
    String replayed = framesReplayed + " frames, " + eventsReplayed + " events replayed in " + elapsedNanos / 1_000_000 + " ms";
    String rejects = rejected.isEmpty() ? "no checkpoint" : "no usable checkpoint (" + String.join("; ", rejected) + ")";
    return switch (outcome) {
      case CHECKPOINT -> head() + "restored the checkpoint " + checkpointFile.getFileName() + " (journal index 0x"
          + Long.toHexString(checkpointJournalIndex) + "), then " + replayed + " after it (" + sessionFrames + " frames in the session)";
      case WHOLE_SESSION -> head() + rejects + ", so the whole session was replayed: " + replayed;
      case CHECKPOINT_START_DELETED -> head() + "its SESSION record and the journal before index 0x"
          + Long.toHexString(oldestKeptIndex) + " were deleted by the retention; no record of a later session follows, so the "
          + "journal's records from there on are this session's: restored the checkpoint " + checkpointFile.getFileName()
          + " (journal index 0x" + Long.toHexString(checkpointJournalIndex) + "), then " + replayed + " after it ("
          + sessionFrames + " frames in the session); nothing journaled was lost";
      case NOT_RECOVERED_START_DELETED -> "NOT recovered: the journal ends in an unclosed session whose SESSION record was "
          + "deleted by the retention (the oldest record kept is index 0x" + Long.toHexString(oldestKeptIndex) + ", "
          + Instant.ofEpochMilli(keptFromEpochMs) + ") and " + rejects + ": the pipeline state the session had built is "
          + "lost, and its " + framesNotRecovered + " frames still in the journal (to " + Instant.ofEpochMilli(keptToEpochMs)
          + ") are not in the new session's results (replaying them alone would give a partial state). A new session "
          + "begins. Keep journal.retentionCycles longer than a session and checkpoints enabled";
    };
  }

  private String head() {
    return "recovered the unclosed journal session started at index 0x" + Long.toHexString(sessionStartIndex) + ": ";
  }
}
