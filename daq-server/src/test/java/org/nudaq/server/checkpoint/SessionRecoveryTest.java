package org.nudaq.server.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nudaq.server.ingest.PipelineInputs;
import org.nudaq.server.journal.JournalPlayer;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.SessionProgress;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.PipelineStates;

/**
 * Recovery of an unclosed session on real queues ({@link UnclosedSession}: a simulated run journaled by
 * the daemon, journaled again with six checkpoints along it): whichever checkpoint is restored — or
 * none — the pipeline, finished, equals the uninterrupted run and a replay of the whole journal, bit
 * for bit (the complete saved state, every spectrum, live time and counter), and the sequence numbers
 * recovery resumes from are the last journaled ones. Damaged or foreign checkpoints are passed over with
 * their reason, for the next older one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionRecoveryTest {
  @TempDir
  static Path shared;
  private UnclosedSession session;

  @BeforeAll
  void journalASimulatedRunWithCheckpointsAndLeaveItUnclosed() throws Exception {
    session = UnclosedSession.build(shared, 3, 61);
    // The stream has what a restore must carry across: reactor changes, vetoes, muons, bad slices.
    PipelineSnapshot s = session.finalSnapshot;
    assertThat(s.detectors().get(0).liveTimeOnSeconds()).isPositive();
    assertThat(s.detectors().get(0).liveTimeOffSeconds()).isPositive();
    assertThat(s.detectors().get(0).badSlices()).isPositive();
    assertThat(s.totals().vetoed()).isPositive();
    assertThat(s.totals().muons()).isPositive();
    assertThat(s.totals().gated().values().stream().mapToLong(Long::longValue).sum()).isPositive();
    // At least one checkpoint was taken with events in the merge, the look-ahead and an open slice.
    assertThat(session.pendingAtCheckpoints).hasSize(UnclosedSession.CHECKPOINTS)
        .anySatisfy(p -> assertThat(p[0] > 0 && p[1] > 0 && p[2] > 0).as("merge, look-ahead, slices: %s", Arrays.toString(p)).isTrue());
  }

  /** What a recovery gave: the report, and the pipeline after finish(). */
  private record Recovered(RecoveryReport report, byte[] state, PipelineSnapshot snapshot, SessionProgress journaled) {}

  private Recovered recover(Path data) {
    Path journal = data.resolve("journal");
    JournalSession last = JournalSession.last(journal);
    assertThat(last).isEqualTo(session.session);
    EventPipeline pipeline = new EventPipeline(session.config);
    SessionProgress journaled = new SessionProgress();
    RecoveryReport report = new SessionRecovery(journal, new CheckpointStore(data.resolve("checkpoints")), session.configText,
        () -> new EventPipeline(session.config)).recover(last, new PipelineInputs(pipeline), journaled);
    pipeline.finish();
    return new Recovered(report, state(pipeline), pipeline.publish(Instant.EPOCH), journaled);
  }

  private static byte[] state(EventPipeline p) {
    return PipelineStates.of(p);
  }

  /** Bit for bit the uninterrupted run; the sequence numbers and counts of the journaled frames too. */
  private void assertEqualsTheUninterruptedRun(Recovered r) {
    assertThat(r.state()).as("complete pipeline state after finish").isEqualTo(session.finalState);
    assertThat(r.snapshot()).isEqualTo(session.finalSnapshot);
    assertThat(r.journaled().frames()).isEqualTo(session.progress.frames()).isPositive();
    assertThat(r.journaled().events()).isEqualTo(session.progress.events()).isEqualTo(r.snapshot().totals().received());
    assertThat(r.journaled().hasBoard(0)).isTrue();
    assertThat(r.journaled().lastSequence(0)).isEqualTo(session.progress.lastSequence(0));
    assertThat(r.report().sessionFrames()).isEqualTo(session.progress.frames());
  }

  @Test
  void theUninterruptedRunEqualsAReplayOfTheWholeJournal() {
    EventPipeline replayed = new EventPipeline(session.config);
    JournalPlayer player;
    try (JournalReader reader = new JournalReader(session.journal)) {
      player = new JournalPlayer(new PipelineInputs(replayed)).play(reader, session.session);
    }
    replayed.finish();
    assertThat(state(replayed)).isEqualTo(session.finalState);
    assertThat(replayed.publish(Instant.EPOCH)).isEqualTo(session.finalSnapshot);
    assertThat(player.closed()).isFalse();
    assertThat(player.frames()).isEqualTo(session.progress.frames());
  }

  @Test
  void restoresTheNewestCheckpointAndReplaysOnlyTheJournalAfterIt(@TempDir Path dir) throws IOException {
    Path data = session.copyTo(dir);
    List<Path> files = UnclosedSession.checkpointFiles(data);
    Path newest = files.get(files.size() - 1);

    Recovered r = recover(data);

    assertThat(r.report().fromCheckpoint()).isTrue();
    assertThat(r.report().checkpointFile().getFileName()).isEqualTo(newest.getFileName());
    assertThat(r.report().checkpointJournalIndex()).isEqualTo(CheckpointFile.read(newest).header().journalIndex());
    assertThat(r.report().rejected()).isEmpty();
    assertThat(r.report().framesReplayed()).isPositive().isLessThan(session.progress.frames() / 4);
    assertThat(r.report().describe()).startsWith("recovered the unclosed journal session started at index 0x")
        .contains("restored the checkpoint " + newest.getFileName());
    assertEqualsTheUninterruptedRun(r);
  }

  @Test
  void eachCheckpointAlongTheSessionRestoredThenTheRestReplayedEqualsTheUninterruptedRun(@TempDir Path dir) throws IOException {
    Path data = session.copyTo(dir);
    List<Path> files = UnclosedSession.checkpointFiles(data);
    assertThat(files).hasSize(UnclosedSession.CHECKPOINTS);
    Path keep = dir.resolve("all");
    Files.createDirectories(keep);
    for (Path f : files) {
      Files.move(f, keep.resolve(f.getFileName()));
    }
    long previousReplayed = Long.MAX_VALUE;
    for (Path f : files) {
      Path only = data.resolve("checkpoints").resolve(f.getFileName());
      Files.copy(keep.resolve(f.getFileName()), only);
      Recovered r = recover(data);
      assertThat(r.report().checkpointFile().getFileName()).isEqualTo(f.getFileName());
      assertThat(r.report().framesReplayed()).as("later checkpoints leave less to replay").isLessThan(previousReplayed);
      previousReplayed = r.report().framesReplayed();
      assertEqualsTheUninterruptedRun(r);
      Files.delete(only);
    }
  }

  /** Ways a checkpoint can be unusable, the reason recovery gives, and which checkpoint it falls back to. */
  enum Damage {
    FLIPPED_BYTE("CRC-32C mismatch"),
    TRUNCATED("truncated"),
    NOT_A_CHECKPOINT("bad magic"),
    NEWER_FORMAT("format version " + (CheckpointFormat.FORMAT_VERSION + 1) + " at offset 0x8"),
    /** Format 1: written before the online calibration's state was part of a checkpoint. */
    OLDER_FORMAT("format version 1 at offset 0x8, this daemon reads version " + CheckpointFormat.FORMAT_VERSION),
    OTHER_CONFIGURATION("taken under another configuration"),
    OTHER_SESSION("belongs to another session"),
    JOURNAL_INDEX_GONE("is no longer in the journal"),
    STATE_DOES_NOT_RESTORE("its state does not restore");

    final String reason;

    Damage(String reason) {
      this.reason = reason;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Damage.class)
  void anUnusableNewestCheckpointIsPassedOverWithItsReasonForTheNextOlder(Damage damage, @TempDir Path dir) throws IOException {
    Path data = session.copyTo(dir);
    List<Path> files = UnclosedSession.checkpointFiles(data);
    Path newest = files.get(files.size() - 1);
    Path fallback = damage == Damage.JOURNAL_INDEX_GONE ? newest : files.get(files.size() - 2);
    Path damaged = damage(newest, damage);

    Recovered r = recover(data);

    assertThat(r.report().rejected()).hasSize(1);
    assertThat(r.report().rejected().get(0)).startsWith(damaged.getFileName() + ": ").contains(damage.reason);
    assertThat(r.report().checkpointFile().getFileName()).isEqualTo(fallback.getFileName());
    assertEqualsTheUninterruptedRun(r);
  }

  @Test
  void withNoUsableCheckpointTheWholeSessionIsReplayedAndSaysWhy(@TempDir Path dir) throws IOException {
    Path data = session.copyTo(dir);
    Damage[] damages = {Damage.FLIPPED_BYTE, Damage.OTHER_SESSION, Damage.OTHER_CONFIGURATION, Damage.TRUNCATED,
        Damage.NOT_A_CHECKPOINT, Damage.STATE_DOES_NOT_RESTORE};
    List<Path> files = UnclosedSession.checkpointFiles(data);
    for (int i = 0; i < files.size(); i++) {
      damage(files.get(i), damages[i]);
    }

    Recovered r = recover(data);

    assertThat(r.report().fromCheckpoint()).isFalse();
    assertThat(r.report().checkpointJournalIndex()).isEqualTo(-1);
    assertThat(r.report().rejected()).hasSize(files.size());
    assertThat(r.report().framesReplayed()).isEqualTo(session.progress.frames());
    assertThat(r.report().describe()).contains("no usable checkpoint (").contains("the whole session was replayed")
        .contains("CRC-32C mismatch").contains("belongs to another session");
    assertEqualsTheUninterruptedRun(r);
  }

  @Test
  void withoutCheckpointsTheWholeSessionIsReplayedAndLeftoverTemporaryFilesAreRemoved(@TempDir Path dir) throws IOException {
    Path data = session.copyTo(dir);
    List<Path> files = UnclosedSession.checkpointFiles(data);
    Path temp = files.get(0).resolveSibling(files.get(0).getFileName() + CheckpointFormat.TEMP_SUFFIX);
    Files.move(files.get(0), temp); // as a crash during a write leaves it
    for (Path f : files.subList(1, files.size())) {
      Files.delete(f);
    }

    Recovered r = recover(data);

    assertThat(Files.exists(temp)).isFalse();
    assertThat(r.report().fromCheckpoint()).isFalse();
    assertThat(r.report().rejected()).isEmpty();
    assertThat(r.report().describe()).contains("no checkpoint, so the whole session was replayed");
    assertEqualsTheUninterruptedRun(r);
  }

  /** Damages a checkpoint file; returns the file now holding the damaged checkpoint. */
  private Path damage(Path file, Damage damage) throws IOException {
    byte[] b = Files.readAllBytes(file);
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    switch (damage) {
      case FLIPPED_BYTE -> {
        b[b.length / 2] ^= 0x10;
        Files.write(file, b);
        return file;
      }
      case TRUNCATED -> {
        Files.write(file, Arrays.copyOf(b, b.length - 100));
        return file;
      }
      case NOT_A_CHECKPOINT -> {
        Files.writeString(file, "journal index notes, not a checkpoint\n".repeat(10));
        return file;
      }
      case NEWER_FORMAT -> le.putShort(CheckpointFormat.VERSION_OFFSET, (short) (CheckpointFormat.FORMAT_VERSION + 1));
      case OLDER_FORMAT -> le.putShort(CheckpointFormat.VERSION_OFFSET, (short) 1);
      case OTHER_CONFIGURATION -> b[CheckpointFormat.CONFIG_SHA256_OFFSET] ^= 0x01;
      case OTHER_SESSION -> le.putLong(CheckpointFormat.SESSION_START_INDEX_OFFSET, session.session.startIndex() + 1);
      case STATE_DOES_NOT_RESTORE -> b[CheckpointFormat.HEADER_LENGTH] ^= 0x01; // the first section's tag
      case JOURNAL_INDEX_GONE -> {
        // As after a power cut that lost the journal's last pages but not the fsynced checkpoint.
        long gone = session.lastIndex + 0x1000;
        le.putLong(CheckpointFormat.JOURNAL_INDEX_OFFSET, gone);
        resealCrc(b);
        Path renamed = file.resolveSibling(CheckpointFormat.fileName(gone));
        Files.write(renamed, b);
        return renamed;
      }
      default -> throw new IllegalArgumentException(damage.toString());
    }
    resealCrc(b); // a well-formed file: only the check under test can refuse it
    Files.write(file, b);
    return file;
  }

  private static void resealCrc(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b, 0, b.length - CheckpointFormat.CRC_LENGTH);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - CheckpointFormat.CRC_LENGTH, (int) crc.getValue());
  }
}
