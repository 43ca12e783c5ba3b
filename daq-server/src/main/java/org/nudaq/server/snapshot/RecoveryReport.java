package org.nudaq.server.snapshot;

import java.nio.file.Path;
import java.util.List;

/**
 * How crash recovery brought the pipeline back: from which state snapshot (or none: the whole session
 * replayed), why newer snapshots were not used, and how much of the journal was replayed. Immutable.
 *
 * @param sessionStartIndex    journal index of the recovered session's SESSION record
 * @param snapshotFile         the snapshot restored, or null when the whole session was replayed
 * @param snapshotJournalIndex its journal index, or −1
 * @param rejected             snapshots not used, newest first, each "file: reason"
 * @param framesReplayed       frames replayed from the journal after the snapshot (or from the session start)
 * @param eventsReplayed       events in those frames
 * @param sessionFrames        frames journaled in the session in all (snapshot's account + replayed)
 * @param elapsedNanos         wall time of the recovery (reading, restoring, replaying), ns
 */
public record RecoveryReport(long sessionStartIndex, Path snapshotFile, long snapshotJournalIndex, List<String> rejected,
    long framesReplayed, long eventsReplayed, long sessionFrames, long elapsedNanos) {

  public RecoveryReport {
    rejected = List.copyOf(rejected);
  }

  /** Whether a snapshot was restored (only the journal after it was replayed). */
  public boolean fromSnapshot() {
    return snapshotFile != null;
  }

  /** One log line: what was restored and replayed, or why the whole session was replayed. */
  public String describe() {
    String head = "recovered the unclosed journal session started at index 0x" + Long.toHexString(sessionStartIndex) + ": ";
    String replayed = framesReplayed + " frames, " + eventsReplayed + " events replayed in " + elapsedNanos / 1_000_000 + " ms";
    if (fromSnapshot()) {
      return head + "restored the state snapshot " + snapshotFile.getFileName() + " (journal index 0x"
          + Long.toHexString(snapshotJournalIndex) + "), then " + replayed + " after it (" + sessionFrames
          + " frames in the session)";
    }
    String why = rejected.isEmpty() ? "no state snapshot" : "no usable state snapshot (" + String.join("; ", rejected) + ")";
    return head + why + ", so the whole session was replayed: " + replayed;
  }
}
