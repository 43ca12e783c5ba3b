package org.nudaq.server.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.ingest.PipelineInputs;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.SessionProgress;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.PipelineStates;

/**
 * Crash recovery when the journal retention deleted the unclosed session's SESSION record: a simulated
 * run journaled over hourly cycle files with {@code retentionCycles: 1} applied after each roll, the
 * retention keeping the cycle of the newest checkpoint as the daemon has it do, checkpoints along
 * it, no CLOSED record (a kill -9). Every record kept then belongs to that session, so restoring the
 * newest checkpoint and replaying the journal after it gives the uninterrupted run bit for bit; without
 * a usable checkpoint nothing is recovered and the report says what is lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionStartDeletedRecoveryTest {
  @TempDir
  static Path shared;
  private UnclosedSession session;

  @BeforeAll
  void journalASimulatedRunOverHourlyCyclesWithRetention() throws Exception {
    session = UnclosedSession.build(shared, 3, 61, new UnclosedSession.Cycles(1, true));
  }

  private record Recovered(RecoveryReport report, byte[] state, PipelineSnapshot snapshot, SessionProgress journaled) {}

  private Recovered recover(Path data) {
    Path journal = data.resolve("journal");
    JournalSession.Tail tail = JournalSession.tail(journal);
    assertThat(tail.startDeleted()).isTrue();
    EventPipeline pipeline = new EventPipeline(session.config);
    SessionProgress journaled = new SessionProgress();
    RecoveryReport report = new SessionRecovery(journal, new CheckpointStore(data.resolve("checkpoints")), session.configText,
        () -> new EventPipeline(session.config)).recoverStartDeleted(tail, new PipelineInputs(pipeline), journaled);
    pipeline.finish();
    return new Recovered(report, state(pipeline), pipeline.publish(Instant.EPOCH), journaled);
  }

  private static byte[] state(EventPipeline p) {
    return PipelineStates.of(p);
  }

  private static List<Path> cycleFiles(Path journal) throws IOException {
    try (Stream<Path> s = Files.list(journal)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
    }
  }

  private static boolean inJournal(Path journal, long index) {
    try (JournalReader r = new JournalReader(journal)) {
      r.moveTo(index);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Test
  void theSessionsStartIsDeletedAndTheRetentionKeptTheNewestCheckpointsCycle(@TempDir Path dir) throws IOException {
    Path data = session.copyTo(dir);
    Path journal = data.resolve("journal");
    JournalSession.Tail tail = JournalSession.tail(journal);
    assertThat(tail.session()).as("no SESSION record is left").isNull();
    assertThat(JournalSession.last(journal)).isNull(); // what recovery found before: it began a new session
    assertThat(tail.startDeleted()).isTrue();
    assertThat(Long.compareUnsigned(tail.oldestIndex(), session.session.startIndex())).isPositive();
    assertThat(tail.frames()).isPositive().isLessThan(session.progress.frames());
    List<Path> checkpoints = UnclosedSession.checkpointFiles(data);
    long newest = CheckpointFile.read(checkpoints.get(checkpoints.size() - 1)).header().journalIndex();
    assertThat(inJournal(journal, newest)).isTrue();
    // Retention 1 alone keeps the current file and one closed one; the newest checkpoint's is older.
    assertThat(session.retainedForCheckpoint).as("the retention kept the newest checkpoint's cycle file").isPositive();
    assertThat(cycleFiles(journal)).hasSize(3);
    assertThat(inJournal(journal, CheckpointFile.read(checkpoints.get(0)).header().journalIndex()))
        .as("the oldest checkpoint's cycle was deleted").isFalse();
  }

  @Test
  void restoresTheNewestCheckpointAndReplaysTheRestEqualToTheUninterruptedRun(@TempDir Path dir) throws IOException {
    Path data = session.copyTo(dir);
    List<Path> files = UnclosedSession.checkpointFiles(data);
    Path newest = files.get(files.size() - 1);

    Recovered r = recover(data);

    assertThat(r.report().outcome()).isEqualTo(RecoveryReport.Outcome.CHECKPOINT_START_DELETED);
    assertThat(r.report().recovered()).isTrue();
    assertThat(r.report().sessionStartDeleted()).isTrue();
    assertThat(r.report().checkpointFile().getFileName()).isEqualTo(newest.getFileName());
    assertThat(r.report().rejected()).isEmpty();
    assertThat(r.report().sessionStartIndex()).isEqualTo(session.session.startIndex());
    assertThat(r.report().sessionStartEpochMs()).isEqualTo(session.session.startEpochMs());
    assertThat(r.report().framesNotRecovered()).isZero();
    assertThat(r.report().framesReplayed()).isPositive();
    assertThat(r.report().describe()).contains("were deleted by the retention").contains("nothing journaled was lost");
    // Everything the session journaled, the deleted part included (in the checkpoint), bit for bit.
    assertThat(r.state()).isEqualTo(session.finalState);
    assertThat(r.snapshot()).isEqualTo(session.finalSnapshot);
    assertThat(r.journaled().frames()).isEqualTo(session.progress.frames());
    assertThat(r.journaled().events()).isEqualTo(session.progress.events());
    assertThat(r.journaled().lastSequence(0)).isEqualTo(session.progress.lastSequence(0));
    assertThat(r.report().sessionFrames()).isEqualTo(session.progress.frames());
  }

  @Test
  void withoutAUsableCheckpointNothingIsRecoveredAndTheReportSaysWhatIsLost(@TempDir Path dir) throws IOException {
    Path data = session.copyTo(dir);
    List<Path> files = UnclosedSession.checkpointFiles(data);
    for (Path f : files) {
      byte[] b = Files.readAllBytes(f);
      b[b.length / 2] ^= 0x10; // those whose index is kept fail their CRC; the others are gone from the journal anyway
      Files.write(f, b);
    }
    JournalSession.Tail tail = JournalSession.tail(data.resolve("journal"));

    Recovered r = recover(data);

    assertThat(r.report().outcome()).isEqualTo(RecoveryReport.Outcome.NOT_RECOVERED_START_DELETED);
    assertThat(r.report().recovered()).isFalse();
    assertThat(r.report().rejected()).hasSize(files.size());
    assertThat(r.report().framesNotRecovered()).isEqualTo(tail.frames()).isPositive();
    assertThat(r.report().framesReplayed()).isZero();
    assertThat(r.report().oldestKeptIndex()).isEqualTo(tail.oldestIndex());
    assertThat(r.report().describe()).startsWith("NOT recovered").contains("deleted by the retention")
        .contains(tail.frames() + " frames still in the journal").contains("CRC-32C mismatch");
    // The pipeline was not touched: a partial state is not passed off as the session's.
    EventPipeline fresh = new EventPipeline(session.config);
    fresh.finish();
    assertThat(r.state()).isEqualTo(state(fresh));
    assertThat(r.journaled().frames()).isZero();
  }

  @Test
  void aCheckpointOfASessionStartedAfterTheOldestKeptRecordIsPassedOver(@TempDir Path dir) throws IOException {
    Path data = session.copyTo(dir);
    List<Path> files = UnclosedSession.checkpointFiles(data);
    Path newest = files.get(files.size() - 1);
    JournalSession.Tail tail = JournalSession.tail(data.resolve("journal"));
    byte[] b = Files.readAllBytes(newest);
    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putLong(CheckpointFormat.SESSION_START_INDEX_OFFSET, tail.oldestIndex()); // its start would be kept
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b, 0, b.length - CheckpointFormat.CRC_LENGTH);
    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt(b.length - CheckpointFormat.CRC_LENGTH, (int) crc.getValue());
    Files.write(newest, b);

    Recovered r = recover(data);

    assertThat(r.report().rejected().get(0)).startsWith(newest.getFileName() + ": ")
        .contains("not among the deleted part of the journal");
  }

  @Test
  void theDaemonContinuesTheSessionFromTheCheckpointAndSaysSo(@TempDir Path dir) throws Exception {
    Path data = session.copyTo(dir);
    Daemon daemon = new Daemon(session.config, data, Clock.systemUTC());
    try {
      daemon.start();
      RecoveryReport r = daemon.recovery();
      assertThat(r).as("before the fix: null, a new session began").isNotNull();
      assertThat(r.outcome()).isEqualTo(RecoveryReport.Outcome.CHECKPOINT_START_DELETED);
      assertThat(daemon.recoveredFrames()).isEqualTo(session.progress.frames());
    } finally {
      daemon.close();
    }
    JsonNode recovery = new ObjectMapper().readTree(daemon.summaryFile().toFile()).path("recovery");
    assertThat(recovery.path("path").asText()).isEqualTo("checkpoint-session-start-deleted");
    assertThat(recovery.path("recovered").asBoolean()).isTrue();
    assertThat(recovery.path("sessionStartDeleted").asBoolean()).isTrue();
    assertThat(recovery.path("framesNotRecovered").asLong()).isZero();
    // The session went on (no new SESSION record) and is closed now.
    JournalSession.Tail after = JournalSession.tail(data.resolve("journal"));
    assertThat(after.session()).isNull();
    assertThat(after.closedSeen()).isTrue();
  }

  @Test
  void theDaemonWithoutAUsableCheckpointLogsWhatIsLostAndBeginsANewSession(@TempDir Path dir) throws Exception {
    Path data = session.copyTo(dir);
    for (Path f : UnclosedSession.checkpointFiles(data)) {
      Files.delete(f);
    }
    long kept = JournalSession.tail(data.resolve("journal")).frames();
    Daemon daemon = new Daemon(session.config, data, Clock.systemUTC());
    try {
      daemon.start();
      RecoveryReport r = daemon.recovery();
      assertThat(r.outcome()).isEqualTo(RecoveryReport.Outcome.NOT_RECOVERED_START_DELETED);
      assertThat(r.framesNotRecovered()).isEqualTo(kept);
      assertThat(daemon.recoveredFrames()).isZero();
    } finally {
      daemon.close();
    }
    JsonNode recovery = new ObjectMapper().readTree(daemon.summaryFile().toFile()).path("recovery");
    assertThat(recovery.path("path").asText()).isEqualTo("not-recovered-session-start-deleted");
    assertThat(recovery.path("recovered").asBoolean()).isFalse();
    assertThat(recovery.path("framesNotRecovered").asLong()).isEqualTo(kept);
    JournalSession last = JournalSession.last(data.resolve("journal"));
    assertThat(last).as("a new session began").isNotNull();
    assertThat(last.closed()).isTrue();
  }
}
