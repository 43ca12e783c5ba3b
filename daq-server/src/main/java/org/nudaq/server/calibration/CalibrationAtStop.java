package org.nudaq.server.calibration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nudaq.server.checkpoint.CheckpointException;
import org.nudaq.server.checkpoint.CheckpointFile;
import org.nudaq.server.checkpoint.CheckpointStore;
import org.nudaq.server.checkpoint.ConfigDigest;
import org.nudaq.server.journal.JournalException;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.pipeline.StateFormatException;
import org.nudaq.server.pipeline.StateReader;
import org.nudaq.server.pipeline.StateWriter;

/**
 * The online calibration's state at a clean stop (issue 17), for the next session: checkpoints belong to one
 * unclosed session, but the calibrator's window (30 days of spectra at nominal intensities) must outlive a
 * clean stop too. One file, {@value #FILE_NAME} in the checkpoint directory, in the checkpoint file format
 * ({@link CheckpointFile}: header with the stopped session's identity and its last journal index, CRC-32C) with
 * the {@link CalibrationState} section as its payload; written atomically at the stop, replaced at the next.
 *
 * <p>A file that is missing, damaged, of another format version, of another session than the one just before,
 * or whose channels do not fit the configuration is not used: the calibration starts from the configured
 * scale, and the daemon says why in one line. Stateless; called on the thread that starts or stops the daemon
 * (or the pipeline thread at a session's start).
 */
public final class CalibrationAtStop {
  /** The file's name in the checkpoint directory (no checkpoint is named so). */
  public static final String FILE_NAME = "calibration-at-stop.snap";

  private CalibrationAtStop() {}

  /**
   * Writes the calibration's state at the stop of {@code session}, whose last record is {@code journalIndex}.
   *
   * @throws IOException if it could not be written (the caller logs it: the next session calibrates from scratch)
   */
  public static Path write(CheckpointStore store, JournalSession session, long journalIndex, long epochMs, String configText,
      OnlineCalibration calibration) throws IOException {
    StateWriter out = new StateWriter(1 << 16);
    CheckpointFile.beginHeader(out, session.startIndex(), session.startEpochMs(), journalIndex, epochMs,
        ConfigDigest.sha256(configText));
    calibration.saveState(out);
    int size = CheckpointFile.seal(out);
    return store.writeFile(FILE_NAME, out.array(), size);
  }

  /** What {@link #read} found: the state, or null and why not. */
  public record Found(CalibrationState state, String whyNot) {}

  /**
   * The state written at the stop of the session that ended right before the journal record {@code nextIndex}
   * (the next session's SESSION record, journaled or about to be), or why there is none usable.
   *
   * @param journalDir  the journal (to check that no session lies between)
   * @param nextIndex   the index of the next session's SESSION record, or −1 when it is not journaled yet
   *                    (the state must then be of the journal's last session, {@code last})
   * @param last        the journal's last session when {@code nextIndex} is −1 (closed), else ignored
   */
  public static Found read(Path dir, Path journalDir, long nextIndex, JournalSession last) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return new Found(null, "no " + FILE_NAME + " in " + dir.toAbsolutePath());
    }
    CheckpointFile.LoadedCheckpoint loaded;
    try {
      loaded = CheckpointFile.read(file);
    } catch (CheckpointException e) {
      return new Found(null, e.getMessage());
    }
    long at = loaded.header().journalIndex();
    if (nextIndex < 0) {
      if (last == null || !last.closed() || loaded.header().sessionStartIndex() != last.startIndex()
          || loaded.header().sessionStartEpochMs() != last.startEpochMs()) {
        return new Found(null, file + ": written at the stop of another session than the journal's last one");
      }
    } else if (!onlyCloseBetween(journalDir, at, nextIndex)) {
      return new Found(null, file + ": written at the stop of another session than the one before the recovered one");
    }
    try {
      StateReader in = loaded.payload();
      CalibrationState s = CalibrationState.read(in);
      in.expectEnd();
      return new Found(s, null);
    } catch (StateFormatException e) {
      return new Found(null, file + ": " + e.getMessage());
    }
  }

  /** Whether the records after {@code fromIndex} up to {@code nextIndex} hold no other session's SESSION record. */
  private static boolean onlyCloseBetween(Path journalDir, long fromIndex, long nextIndex) {
    if (Long.compareUnsigned(fromIndex, nextIndex) >= 0) {
      return false;
    }
    boolean[] other = new boolean[1];
    long[] reached = {fromIndex};
    JournalVisitor v = new JournalVisitor() {
      @Override
      public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
        other[0] |= index != nextIndex;
        reached[0] = index;
      }

      @Override
      public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
        reached[0] = index;
      }

      @Override
      public void onClosed(long index, long wallClockEpochMs) {
        reached[0] = index;
      }
    };
    try (JournalReader reader = new JournalReader(journalDir)) {
      reader.moveTo(fromIndex);
      reader.next(new JournalVisitor() {});
      for (int i = 0; i < 16 && !other[0] && Long.compareUnsigned(reached[0], nextIndex) < 0 && reader.next(v); i++) {
        // the stopped session's last records: its CLOSED record, then the next SESSION record
      }
      return !other[0] && reached[0] == nextIndex;
    } catch (JournalException e) {
      return false;
    }
  }
}
