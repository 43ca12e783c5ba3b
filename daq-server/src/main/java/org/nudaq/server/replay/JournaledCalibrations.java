package org.nudaq.server.replay;

import java.nio.file.Path;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.server.calibration.CalibrationHistory;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;

/**
 * The calibrations a journal session applied (its CALIBRATION records, issue 17), read in one pass over its state
 * records (frames passed over unread), for the limits of a replay that did not collect them itself
 * ({@code nudaq replay --all-sessions}): its line masks and energy-scale constraints then come from the session's
 * epochs, as the daemon's did. Each epoch is taken as applied at its own data time ({@code atNs}, the end of the
 * data it used: never after the end of the session's data), which for the limits of the replay's final snapshot
 * selects the same epochs as the applied data times would (all of them). A record that cannot be read is
 * skipped (the replay counts it). Stateless.
 */
public final class JournaledCalibrations {
  private JournaledCalibrations() {}

  /** The session's applied calibrations (empty when it has none). */
  public static CalibrationHistory of(Path journal, JournalSession session) {
    CalibrationHistory history = new CalibrationHistory();
    boolean[] ended = new boolean[1];
    JournalVisitor v = new JournalVisitor() {
      @Override
      public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
        ended[0] |= index != session.startIndex();
      }

      @Override
      public void onClosed(long index, long wallClockEpochMs) {
        ended[0] = true;
      }

      @Override
      public void onCalibration(long index, long wallClockEpochMs, byte[] body, int length) {
        if (ended[0]) {
          return;
        }
        try {
          CalibrationCodec.Change c = CalibrationCodec.decode(body, length);
          history.attempted(c);
          history.applied(c);
        } catch (IllegalArgumentException e) {
          // counted by the replay itself (JournalPlayer.badCalibrationRecords)
        }
      }
    };
    try (JournalReader reader = new JournalReader(journal)) {
      reader.skipFrames(true);
      reader.moveTo(session.startIndex());
      while (!ended[0] && reader.next(v)) {
        // the session's records
      }
    }
    return history;
  }
}
