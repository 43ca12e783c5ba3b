package org.nudaq.server.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.nudaq.server.ingest.PipelineInputs;
import org.nudaq.server.journal.JournalException;
import org.nudaq.server.journal.JournalPlayer;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.SessionProgress;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.StateFormatException;
import org.nudaq.server.pipeline.StateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash recovery of an unclosed journal session: restores the newest usable checkpoint and
 * replays the journal after its index, or replays the whole session when no checkpoint is usable.
 *
 * <p>A checkpoint is usable when, checked in this order: the file reads back whole (magic, version,
 * length, CRC-32C); it belongs to this session (same SESSION record index and time); it was taken
 * under the same configuration text (SHA-256); its journal index lies in the session and is still in
 * the journal (retention may have deleted that cycle, a power cut may have lost the journal's last
 * pages while the fsynced checkpoint survived); and its state restores into a scratch pipeline of the
 * current configuration. Only then is the real pipeline touched, so a bad checkpoint never leaves it
 * half restored. Each checkpoint not used is logged with its reason.
 *
 * <p>Single-threaded: runs before the pipeline thread starts, on the thread that owns the pipeline.
 */
public final class SessionRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRecovery.class);

  private final Path journalDir;
  private final CheckpointStore store;
  private final String configSha256Hex;
  private final Supplier<EventPipeline> scratch;
  private final CheckpointSection section;

  /**
   * @param journalDir the journal
   * @param store      the checkpoint directory, or null to replay whole sessions
   * @param configText the configuration text the pipeline runs with
   * @param scratch    makes a fresh pipeline of that configuration (to try a checkpoint on)
   */
  public SessionRecovery(Path journalDir, CheckpointStore store, String configText, Supplier<EventPipeline> scratch) {
    this(journalDir, store, configText, scratch, CheckpointSection.NONE);
  }

  /** As above, with the {@code section} that follows the pipeline state in the checkpoints (checked, then restored). */
  public SessionRecovery(Path journalDir, CheckpointStore store, String configText, Supplier<EventPipeline> scratch,
      CheckpointSection section) {
    this.section = section;
    this.journalDir = journalDir;
    this.store = store;
    this.configSha256Hex = ConfigDigest.hex(ConfigDigest.sha256(configText));
    this.scratch = scratch;
  }

  /**
   * Brings {@code inputs}' pipeline (fresh) to the state of everything journaled in {@code session},
   * and {@code journaled} to the session's journaled frames (for the links' sequence tracking and the
   * next checkpoints).
   */
  public RecoveryReport recover(JournalSession session, PipelineInputs inputs, SessionProgress journaled) {
    long t0 = System.nanoTime();
    List<String> rejected = new ArrayList<>();
    JournalPlayer player;
    try (JournalReader reader = new JournalReader(journalDir)) {
      CheckpointFile.LoadedCheckpoint chosen = choose(s -> check(s, session, reader), rejected);
      player = new JournalPlayer(inputs);
      if (chosen != null) {
        StateReader in = chosen.payload();
        SessionProgress progress = new SessionProgress();
        progress.restoreState(in);
        inputs.pipeline().restoreState(in);
        section.readState(in).run();
        player.playAfter(reader, chosen.header().journalIndex(), progress);
      } else {
        section.beforeWholeSession(session);
        player.play(reader, session);
      }
      journaled.copyFrom(player.journaled());
      return new RecoveryReport(chosen == null ? RecoveryReport.Outcome.WHOLE_SESSION : RecoveryReport.Outcome.CHECKPOINT,
          session.startIndex(), session.startEpochMs(), chosen == null ? null : chosen.file(), chosen == null ? -1 : chosen.header().journalIndex(),
          rejected, player.frames(), player.events(), player.journaled().frames(), System.nanoTime() - t0, -1, 0, 0, 0);
    }
  }

  /**
   * Recovery of an unclosed session whose SESSION record was deleted by the retention
   * ({@link JournalSession.Tail#startDeleted()}: the journal has records, none of them a SESSION or a
   * CLOSED record). Every record kept then belongs to that one session — a later session would have
   * left its SESSION record — so a checkpoint taken in it at a journal index still in the journal holds
   * the state up to that record, and the records after it are the rest of the session: restoring it
   * and replaying them gives exactly the state of the whole session, as in {@link #recover}.
   *
   * <p>A checkpoint is usable here when it reads back whole, its session started before the oldest record
   * kept (its SESSION record must be among the deleted ones; one that started later belongs to another
   * journal), it was taken under the same configuration, its journal index is in the journal, and its
   * state restores. Without one nothing is recovered: {@code inputs}' pipeline is left untouched and
   * the report says what is lost ({@link RecoveryReport.Outcome#NOT_RECOVERED_START_DELETED}) — replaying
   * the kept records into a fresh pipeline would give a partial state that looks like a whole one.
   *
   * @return the report; {@link RecoveryReport#recovered()} tells whether the session's state was recovered
   */
  public RecoveryReport recoverStartDeleted(JournalSession.Tail tail, PipelineInputs inputs, SessionProgress journaled) {
    if (!tail.startDeleted()) {
      throw new IllegalArgumentException("the journal's last session has its SESSION record or is closed: " + tail);
    }
    long t0 = System.nanoTime();
    List<String> rejected = new ArrayList<>();
    try (JournalReader reader = new JournalReader(journalDir)) {
      CheckpointFile.LoadedCheckpoint chosen = choose(h -> checkStartDeleted(h, tail, reader), rejected);
      if (chosen == null) {
        return new RecoveryReport(RecoveryReport.Outcome.NOT_RECOVERED_START_DELETED, -1, 0, null, -1, rejected, 0, 0,
            tail.frames(), System.nanoTime() - t0, tail.oldestIndex(), tail.frames(), tail.oldestEpochMs(), tail.newestEpochMs());
      }
      StateReader in = chosen.payload();
      SessionProgress progress = new SessionProgress();
      progress.restoreState(in);
      inputs.pipeline().restoreState(in);
      section.readState(in).run();
      JournalPlayer player = new JournalPlayer(inputs).playAfter(reader, chosen.header().journalIndex(), progress);
      journaled.copyFrom(player.journaled());
      return new RecoveryReport(RecoveryReport.Outcome.CHECKPOINT_START_DELETED, chosen.header().sessionStartIndex(),
          chosen.header().sessionStartEpochMs(),
          chosen.file(), chosen.header().journalIndex(), rejected, player.frames(), player.events(), player.journaled().frames(),
          System.nanoTime() - t0, tail.oldestIndex(), 0, tail.oldestEpochMs(), tail.newestEpochMs());
    }
  }

  /** The newest usable checkpoint, or null; every one passed over is added to {@code rejected}. */
  private CheckpointFile.LoadedCheckpoint choose(Consumer<CheckpointFile.LoadedCheckpoint> check, List<String> rejected) {
    if (store == null) {
      return null;
    }
    store.deleteTemporaries();
    EventPipeline trial = null;
    for (Path file : store.list()) {
      try {
        CheckpointFile.LoadedCheckpoint s = CheckpointFile.read(file);
        check.accept(s);
        if (trial == null) {
          trial = scratch.get();
        }
        StateReader in = s.payload();
        new SessionProgress().restoreState(in);
        trial.restoreState(in);
        section.readState(in);
        in.expectEnd();
        return s;
      } catch (CheckpointException e) {
        reject(rejected, file, e.reason());
      } catch (StateFormatException e) {
        reject(rejected, file, "its state does not restore: " + e.getMessage());
      }
    }
    return null;
  }

  private void check(CheckpointFile.LoadedCheckpoint s, JournalSession session, JournalReader reader) {
    CheckpointHeader h = s.header();
    String name = s.file().toString();
    if (h.sessionStartIndex() != session.startIndex() || h.sessionStartEpochMs() != session.startEpochMs()) {
      throw new CheckpointException(name, "belongs to another session (started at index 0x" + Long.toHexString(h.sessionStartIndex())
          + ", epoch ms " + h.sessionStartEpochMs() + "; the unclosed one started at index 0x"
          + Long.toHexString(session.startIndex()) + ", epoch ms " + session.startEpochMs() + ")", null);
    }
    checkConfigAndIndex(s, session.startIndex(), reader);
  }

  private void checkConfigAndIndex(CheckpointFile.LoadedCheckpoint s, long sessionStartIndex, JournalReader reader) {
    CheckpointHeader h = s.header();
    String name = s.file().toString();
    if (!h.configSha256Hex().equals(configSha256Hex)) {
      throw new CheckpointException(name, "taken under another configuration (SHA-256 " + h.configSha256Hex().substring(0, 12)
          + "…, the daemon runs with " + configSha256Hex.substring(0, 12) + "…)", null);
    }
    if (Long.compareUnsigned(h.journalIndex(), sessionStartIndex) <= 0) {
      throw new CheckpointException(name, "journal index 0x" + Long.toHexString(h.journalIndex())
          + " is not after the session's start", null);
    }
    try {
      reader.moveTo(h.journalIndex());
    } catch (JournalException e) {
      throw new CheckpointException(name, "its journal index 0x" + Long.toHexString(h.journalIndex())
          + " is no longer in the journal (deleted by the retention, or lost)", e);
    }
  }

  /** The checks of a checkpoint for a session whose SESSION record was deleted (see {@link #recoverStartDeleted}). */
  private void checkStartDeleted(CheckpointFile.LoadedCheckpoint s, JournalSession.Tail tail, JournalReader reader) {
    CheckpointHeader h = s.header();
    String name = s.file().toString();
    if (Long.compareUnsigned(h.sessionStartIndex(), tail.oldestIndex()) >= 0) {
      throw new CheckpointException(name, "belongs to a session started at index 0x" + Long.toHexString(h.sessionStartIndex())
          + ", which is not among the deleted part of the journal (the oldest record kept is index 0x"
          + Long.toHexString(tail.oldestIndex()) + " and no SESSION record is left)", null);
    }
    checkConfigAndIndex(s, h.sessionStartIndex(), reader);
  }

  private static void reject(List<String> rejected, Path file, String reason) {
    rejected.add(file.getFileName() + ": " + reason);
    LOG.warn("checkpoint {} not used: {}", file.toAbsolutePath(), reason);
  }
}
