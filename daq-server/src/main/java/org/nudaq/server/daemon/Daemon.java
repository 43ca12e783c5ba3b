package org.nudaq.server.daemon;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.SpectraDirectory;
import org.nudaq.server.calibration.CalibrationAtStop;
import org.nudaq.server.checkpoint.CheckpointStore;
import org.nudaq.server.checkpoint.Checkpoints;
import org.nudaq.server.checkpoint.ProgressRecorder;
import org.nudaq.server.checkpoint.RecoveryReport;
import org.nudaq.server.checkpoint.SessionRecovery;
import org.nudaq.server.compass.CompassFollow;
import org.nudaq.server.compass.CompassStreamLink;
import org.nudaq.server.compass.CompassStreamStats;
import org.nudaq.server.ingest.FrameQueue;
import org.nudaq.server.ingest.IngestLoop;
import org.nudaq.server.ingest.IngestRecorder;
import org.nudaq.server.ingest.PipelineCheckpoint;
import org.nudaq.server.ingest.PipelineInputs;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalWriter;
import org.nudaq.server.journal.SessionProgress;
import org.nudaq.server.link.BoardLink;
import org.nudaq.server.link.LinkStats;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nudaq daemon: board links (Netty clients), the bounded frame queue, the pipeline thread with
 * its running limits, and on shutdown the final spectra and the run summary in the data directory.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once (also from a shutdown hook); both
 * thread-safe. Readers use {@link #snapshot()}, {@link #limits()} and {@link #links()} from any thread.
 *
 * <p>Size: a little over the ~400-line rule as the composition root: it builds and connects every part
 * (journal, recovery, checkpoints, links, pipeline thread, HTTP, run control) in start order and closes
 * them in reverse; the parts' work lives in their own packages.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  private final NudaqConfig config;
  private final Path dataDir;
  private final Clock clock;
  private final EventLoopGroup group;
  /** Longest wait at close for the frames the links hold under back-pressure, seconds. */
  private static final int HELD_FRAMES_WAIT_SECONDS = 60;
  private static final int CALIBRATION_FITS_WAIT_SECONDS = 30;
  private final FrameQueue queue;
  private final EventPipeline pipeline;
  private final IngestLoop ingest;
  private final List<BoardLink> links = new ArrayList<>();
  /** The CoMPASS TCP stream feeding the boards compass.channels maps onto, or null (compass.stream not set). */
  private final CompassStreamLink compassStream;
  /** The CoMPASS run folder followed for the boards compass.channels maps onto, or null (compass.follow not set). */
  private final CompassFollow compassFollow;
  /** Whether the crash recovery told {@link #compassFollow} where to resume. */
  private boolean compassFollowResumed;
  private final Thread pipelineThread;
  private final RunControl run;
  /** Runs, logbook and slow control (issue 18): journaled on the pipeline thread, kept in {@code <data>/runs}. */
  private final org.nudaq.server.shift.ShiftDesk shift;
  private final JournalWriter journal;
  /** The analysis templates the limits are computed with (immutable; shared with the monitoring API). */
  private final AnalysisTemplates templates;
  /** The configuration file's text, read once: journaled with a new session, hashed into checkpoints. */
  private final String configText;
  /** The session's journaled frames (sequence numbers per board); the pipeline thread's once started. */
  private final SessionProgress journaled = new SessionProgress();
  /** Periodic checkpoints, or null when the journal or the checkpoints are disabled. */
  private final Checkpoints checkpoints;
  private volatile RecoveryReport recovery;
  /** Journal index of the checkpoint the recovery restored, or −1. */
  private volatile long restoredCheckpointIndex = -1;
  /** The journal session this daemon records into (new or recovered), once known. */
  private volatile JournalSession session;
  private long recoveredFrames;
  private Instant startedAt;
  private boolean closed;
  /** Issue 17: every calibration attempt and applied epoch (empty without online calibration). */
  private final org.nudaq.server.calibration.CalibrationHistory calibrationHistory =
      new org.nudaq.server.calibration.CalibrationHistory();
  /** Issue 17: the online calibration, or null (calibration.enabled false). */
  private final org.nudaq.server.calibration.OnlineCalibration calibration;

  public Daemon(NudaqConfig config, Path dataDir, Clock clock) {
    this(config, dataDir, clock, JournalWriter.FreeSpaceProbe.FILE_SYSTEM);
  }

  /** As above with the journal's free-space probe (tests of the disk-full behaviour without filling a disk). */
  public Daemon(NudaqConfig config, Path dataDir, Clock clock, JournalWriter.FreeSpaceProbe journalSpace) {
    this.config = config;
    this.dataDir = dataDir;
    this.clock = clock;
    // The journal first: a second daemon on the same journal stops here, before it holds any thread.
    this.journal = config.journal().enabled()
        ? new JournalWriter(journalDir(config, dataDir), config.journal(), clock, journalSpace, -1) : null;
    EventLoopGroup eventLoops = null;
    Checkpoints checkpointing = null;
    try {
      this.group = eventLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      this.queue = FrameQueue.forBytes(config.digitizer().frameQueueMaxBytes());
      this.pipeline = new EventPipeline(config);
      ExperimentLimits limits = ExperimentLimits.forConfig(config);
      this.templates = limits.templates();
      long limitsNanos = (long) (config.analysis().updateIntervalSeconds() * 1e9);
      this.configText = readConfigText(config);
      // Checkpoints need the journal: their point is to replay less of it.
      this.checkpoints = checkpointing = journal != null && config.journal().checkpointsEnabled()
          ? new Checkpoints(pipeline, journaled, journal::lastIndex, new CheckpointStore(checkpointDir(config, dataDir)), clock,
              config.journal().checkpointIntervalSeconds(), config.journal().checkpointsKept(), configText, journal.floorBytes(),
              calibrationState)
          : null;
      this.ingest = new IngestLoop(queue, pipeline, limits, clock, 1_000_000_000L, limitsNanos,
          journal == null ? IngestRecorder.NONE : new ProgressRecorder(journal, journaled),
          checkpoints == null ? PipelineCheckpoint.NONE : checkpoints);
      this.compassStream = config.compass().stream() == null ? null : new CompassStreamLink(config, group, queue);
      this.compassFollow = config.compass().follow() == null ? null
          : new CompassFollow(config, dataDir, queue, queue::size,
              (state, power, effectiveNs) -> ingest.submitReactorStateFrom(state, power, effectiveNs).get());
      for (BoardConfig b : config.digitizer().boards()) {
        if (compassStream != null && java.util.Arrays.stream(compassStream.boardIds()).anyMatch(id -> id == b.id())) {
          continue; // fed by the CoMPASS stream, not by a nudaq-protocol connection
        }
        if (compassFollow != null && java.util.Arrays.stream(compassFollow.boardIds()).anyMatch(id -> id == b.id())) {
          continue; // read from the followed CoMPASS folder
        }
        links.add(new BoardLink(b, group, queue, new LinkStats(b.id()), config.digitizer().reconnectInitialMs(),
            config.digitizer().reconnectMaxMs(), config.digitizer().connectTimeoutMs(), config.digitizer().helloTimeoutMs(),
            config.digitizer().sequenceJumpMaxFrames()));
      }
      this.pipelineThread = new Thread(ingest, "nudaq-pipeline");
      // Run starts/stops are journaled by the shift desk on the pipeline thread, the journal's single writer.
      this.run = new RunControl(clock);
      this.shift = new org.nudaq.server.shift.ShiftDesk(config, clock, ingest, journal, run,
          org.nudaq.server.checkpoint.ConfigDigest.hex(org.nudaq.server.checkpoint.ConfigDigest.sha256(configText)),
          dataDir.resolve("runs"), pipeline.slowControl());
      // Issue 17: fits on "nudaq-calibration"; each result journaled, then applied, on the pipeline thread.
      this.calibration = !config.calibration().enabled() ? null : new org.nudaq.server.calibration.OnlineCalibration(config,
          org.nudaq.server.calibration.OnlineCalibration.Mode.BACKGROUND, c -> ingest.submit(p -> journalThenCalibrate(p, c)),
          calibrationHistory);
      if (calibration != null) {
        pipeline.onCalibrationIntervals(calibration);
        // Issue 17: the limits take the line masks' widths and the energy-scale constraints from the epochs.
        ingest.limitsUpdater().useCalibration(new org.nudaq.server.calibration.CalibratedLimits(config, limits,
            calibrationHistory));
      }
    } catch (RuntimeException | Error e) {
      // A daemon that cannot be built must not keep the journal's writer lock, nor a thread: the
      // operator fixes the cause and starts again in the same process (tests) or the same data directory.
      if (eventLoops != null) {
        eventLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      }
      if (checkpointing != null) {
        checkpointing.close();
      }
      if (journal != null) {
        journal.close();
      }
      throw e;
    }
  }

  /**
   * Issue 17: the online calibration's state in the checkpoints (its window, epoch, last good calibration, what
   * is not yet fitted or journaled), so a restart calibrates on as if it had not stopped. Reads the field when
   * called (the calibration is built after the checkpoints).
   */
  private final org.nudaq.server.checkpoint.CheckpointSection calibrationState =
      new org.nudaq.server.checkpoint.CheckpointSection() {
        @Override
        public void saveState(org.nudaq.server.pipeline.StateWriter out) {
          if (Daemon.this.calibration != null) {
            Daemon.this.calibration.saveState(out);
          }
        }

        @Override
        public Runnable readState(org.nudaq.server.pipeline.StateReader in) {
          org.nudaq.server.calibration.OnlineCalibration c = Daemon.this.calibration;
          if (c == null) {
            return () -> {};
          }
          org.nudaq.server.calibration.CalibrationState saved = org.nudaq.server.calibration.CalibrationState.read(in);
          c.check(saved);
          return () -> c.restore(saved);
        }

        @Override
        public void beforeWholeSession(JournalSession recovered) {
          // The session may have begun from the state saved at the stop of the one before: so does its replay.
          if (Daemon.this.calibration != null) {
            resumeCalibration(Daemon.this.calibration, CalibrationAtStop.read(checkpointDir(config, dataDir),
                journal.directory(), recovered.startIndex(), null));
          }
        }
      };

  /** Issue 17: the calibrators continue from a state saved at a clean stop; false (and why, logged) if not. */
  private static boolean resumeCalibration(org.nudaq.server.calibration.OnlineCalibration c, CalibrationAtStop.Found found) {
    if (found.state() == null) {
      LOG.info("calibration: not continued from the last stop ({}); it starts from the configured scale", found.whyNot());
      return false;
    }
    try {
      c.resumeAfterStop(found.state());
      return true;
    } catch (org.nudaq.server.pipeline.StateFormatException e) {
      LOG.warn("calibration: the state saved at the last stop does not fit this configuration ({}); it starts from the "
          + "configured scale", e.getMessage());
      return false;
    }
  }

  /** Issue 17: the calibration's state for the next session (before the CLOSED record); a failure is logged. */
  private void saveCalibrationAtStop() {
    JournalSession s = session;
    if (journal == null || s == null) {
      return;
    }
    try {
      Path file = CalibrationAtStop.write(new CheckpointStore(checkpointDir(config, dataDir)), s, journal.lastIndex(),
          clock.millis(), configText, calibration);
      LOG.info("calibration: state at the stop written to {} (the next session continues from it)", file);
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn("calibration: state at the stop not written ({}); the next session calibrates from the configured scale",
          e.toString());
    }
  }

  /** Issue 17 (pipeline thread): a calibration journaled, then applied; refused by the journal, not applied. */
  private void journalThenCalibrate(EventPipeline p, org.nudaq.monitor.calibration.CalibrationCodec.Change c) {
    if (calibration != null) {
      calibration.journaled(c); // no longer owed to the journal (a checkpoint from now on does not carry it)
    }
    if (journal != null) {
      try {
        journal.calibration(org.nudaq.monitor.calibration.CalibrationCodec.encode(c));
      } catch (org.nudaq.server.ingest.RecordingRefusedException e) {
        LOG.warn("calibration of board {} channel {} not applied: the journal refused it ({})", c.boardId(), c.channel(),
            e.getMessage());
        return;
      }
    }
    if (p.applyCalibration(c.boardId(), c.channel(), c.calibration().scale().coefficients())) {
      calibrationHistory.applied(c, p.dataTimeNs()); // issue 17: the limits read epochs by this data time
    }
  }

  /** Issue 17: every calibration attempt and applied epoch of this daemon (empty without online calibration). */
  public org.nudaq.server.calibration.CalibrationHistory calibrationHistory() {
    return calibrationHistory;
  }

  /** The journal directory of a configuration: journal.directory, relative to the data directory. */
  public static Path journalDir(NudaqConfig config, Path dataDir) {
    return dataDir.resolve(config.journal().directory());
  }

  /** The checkpoint directory of a configuration: journal.checkpointDirectory, relative to the data directory. */
  public static Path checkpointDir(NudaqConfig config, Path dataDir) {
    return dataDir.resolve(config.journal().checkpointDirectory());
  }

  /**
   * Where the recovery looks for checkpoints: {@link #checkpointDir}, or — when that is the default folder,
   * holds none, and the folder older versions used ({@code <data>/snapshots}) holds some — the old folder,
   * with a warning, so an upgrade does not lose the recovery of an unclosed session.
   */
  static CheckpointStore recoveryCheckpoints(NudaqConfig config, Path dataDir) {
    CheckpointStore store = new CheckpointStore(checkpointDir(config, dataDir));
    if (!config.journal().checkpointDirectory().equals(JournalConfig.DEFAULT_CHECKPOINT_DIRECTORY) || !store.list().isEmpty()) {
      return store;
    }
    CheckpointStore legacy = new CheckpointStore(dataDir.resolve(JournalConfig.LEGACY_CHECKPOINT_DIRECTORY));
    if (legacy.list().isEmpty()) {
      return store;
    }
    LOG.warn("checkpoints: none in {}; recovering from those an older version wrote in {} (new ones go to the first)",
        store.directory().toAbsolutePath(), legacy.directory().toAbsolutePath());
    return legacy;
  }

  /**
   * Crash recovery: if the journal's last session was not closed (the daemon was killed), the
   * pipeline is brought to the state the killed daemon had built from everything journaled — from the
   * newest usable checkpoint plus the journal after it, or by replaying the whole session through
   * the same calls as live ({@link SessionRecovery}) — and the session continues. Otherwise a new
   * session starts with the configuration in force. Runs before the pipeline thread starts.
   */
  private void recoverOrBeginSession() {
    JournalSession.Tail tail = JournalSession.tail(journal.directory());
    JournalSession last = tail.session();
    // Checkpoints already on disk are used even when new ones are disabled.
    SessionRecovery recovering = new SessionRecovery(journal.directory(), recoveryCheckpoints(config, dataDir),
        configText, () -> new EventPipeline(config), calibrationState);
    if (calibration != null) {
      calibration.beginRecovery(); // issue 17: fits in journal order; only what the journal lacks is journaled again
    }
    try {
      recoverOrBegin(tail, last, recovering);
    } finally {
      if (calibration != null) {
        calibration.endRecovery();
      }
    }
  }

  /** The inputs a recovery replays into: the journaled calibrations go into the history as they are applied. */
  private PipelineInputs recoveryInputs() {
    PipelineInputs inputs = new PipelineInputs(pipeline);
    if (calibration != null) {
      inputs.onCalibration(c -> {
        calibration.journaled(c); // the killed daemon journaled it: not again
        calibrationHistory.applied(c, pipeline.dataTimeNs());
      });
    }
    return inputs;
  }

  private void recoverOrBegin(JournalSession.Tail tail, JournalSession last, SessionRecovery recovering) {
    if (last != null && !last.closed()) {
      RecoveryReport report = recovering.recover(last, recoveryInputs(), journaled);
      LOG.warn(report.describe());
      if (!last.configYaml().equals(configText)) {
        LOG.warn("the configuration differs from the one the recovered session started with ({}); the recovered data are "
            + "decided with the current one", last.configSource());
      }
      continueRecovered(last, report);
    } else if (tail.startDeleted()) {
      // The retention deleted the unclosed session's SESSION record: only a checkpoint of it can recover it.
      RecoveryReport report = recovering.recoverStartDeleted(tail, recoveryInputs(), journaled);
      if (report.recovered()) {
        LOG.warn(report.describe());
        // The session's identity and configuration (the checkpoint's SHA-256 is the current text's).
        continueRecovered(new JournalSession(report.sessionStartIndex(), report.sessionStartEpochMs(), config.source(),
            configText, false), report);
      } else {
        LOG.error(report.describe());
        recovery = report;
        beginSession(null);
      }
    } else {
      if (last != null) {
        resumeAfterStop(tail);
      }
      beginSession(last);
    }
  }

  /**
   * After a clean stop in the middle of a board's stream (its last journaled frame is not a GOODBYE), the new
   * session follows the board's numbering on from that frame: the frames the board sent on the connection the
   * stop cut (in its buffers, on the wire, a frame cut in half) are counted lost by the first frame's sequence
   * gap when the board continues its numbering, rather than by neither session. A board that restarted
   * meanwhile says so by a HELLO whose number went back (a restart, not a gap).
   */
  private void resumeAfterStop(JournalSession.Tail tail) {
    for (BoardLink link : links) {
      Long last = tail.midStream().get(link.board().id());
      if (last != null) {
        // The stopped link's numbering beyond the last journaled frame (CLOSED record): frames it received but could
        // not pass on, and its gaps, which it counted lost itself. They stay in the gap journaled with the next frame
        // (the session's lostFrames) but this process's link does not count them again.
        Long stopped = tail.linksAtStop().get(link.board().id());
        long countedEarlier = stopped != null && Long.compareUnsigned(stopped, last) > 0 ? stopped - last : 0;
        link.resumeAfter(last, countedEarlier);
        LOG.info("board {}: the last session stopped in the middle of its stream (last frame journaled: sequence {}{}); "
            + "frames the board sent after it count as lost when it continues its numbering", link.board().id(),
            Long.toUnsignedString(last), countedEarlier == 0 ? ""
                : ", the stopped link's last: " + Long.toUnsignedString(stopped) + ", its " + countedEarlier
                    + " frames after the journaled one already counted lost there");
      }
    }
  }

  /** The recovered session continues: sequence tracking, checkpoints, the retention's hold on the restored checkpoint. */
  private void continueRecovered(JournalSession session, RecoveryReport report) {
    for (int i = 0; i < links.size(); i++) {
      int board = links.get(i).board().id();
      if (journaled.hasBoard(board)) {
        links.get(i).resumeAfter(journaled.lastSequence(board));
      }
    }
    if (compassStream != null) {
      for (int board : compassStream.boardIds()) {
        if (journaled.hasBoard(board)) {
          compassStream.resumeAfter(board, journaled.lastSequence(board));
        }
      }
    }
    if (compassFollow != null) {
      compassFollow.resume(b -> journaled.hasBoard((int) b) ? journaled.lastSequence((int) b) : -1);
      compassFollowResumed = true;
    }
    recoveredFrames = report.sessionFrames();
    this.session = session;
    recovery = report;
    restoredCheckpointIndex = report.checkpointJournalIndex();
    if (checkpoints != null) {
      checkpoints.sessionStarted(session);
      if (report.framesReplayed() > 0) {
        checkpoints.requestSoon(); // a second crash soon after need not replay the same again
      }
    }
  }

  /**
   * The SESSION record is journaled by the pipeline thread before any frame; if the journal's disk is
   * below its floor at start it is retried until space returns, and no frame is taken before it
   * ({@link IngestLoop#recordFirst}): a frame journaled outside a session could be neither replayed nor
   * recovered.
   */
  private void beginSession(JournalSession previous) {
    String text = configText;
    ingest.recordFirst(() -> {
      JournalSession started = journal.session(config.source(), text);
      session = started;
      CalibrationAtStop.Found atStop = calibration == null || previous == null || !previous.closed() ? null
          : CalibrationAtStop.read(checkpointDir(config, dataDir), journal.directory(), -1, previous);
      if (atStop != null && resumeCalibration(calibration, atStop)) {
        // Issue 17: the last good calibration, journaled and applied before the first frame of the new session.
        for (org.nudaq.monitor.calibration.CalibrationCodec.Change c
            : org.nudaq.server.calibration.OnlineCalibration.lastCalibrations(atStop.state())) {
          journalThenCalibrate(pipeline, c);
        }
      }
      if (checkpoints != null) {
        checkpoints.sessionStarted(started);
      }
    });
  }

  /**
   * The journal index of the running session's newest checkpoint on disk — the last one written,
   * or the one the recovery restored — or −1: the retention keeps its cycle file.
   */
  private long newestCheckpointIndex() {
    long written = checkpoints == null ? -1 : checkpoints.lastJournalIndex();
    return written >= 0 ? written : restoredCheckpointIndex;
  }

  private static String readConfigText(NudaqConfig config) {
    try {
      return java.nio.file.Files.readString(Path.of(config.source()));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** The journal, or null when journal.enabled is false. */
  public JournalWriter journal() {
    return journal;
  }

  /**
   * Frames of the session recovered at start — those a restored checkpoint accounted for plus those
   * replayed after it (0 after a clean shutdown).
   */
  public long recoveredFrames() {
    return recoveredFrames;
  }

  /**
   * How the last start recovered an unclosed session, or null if it began a new one after a clean end;
   * also set (not {@link RecoveryReport#recovered()}) when an unclosed session whose start the retention
   * deleted could not be recovered and a new session began.
   */
  public RecoveryReport recovery() {
    return recovery;
  }

  /**
   * The analysis templates of the running limits (expected weak, μν and qν rates per window bin): built once
   * with the daemon's {@code ExperimentLimits}, immutable, any thread.
   */
  public AnalysisTemplates templates() {
    return templates;
  }

  /** The periodic checkpoints, or null when the journal or the checkpoints are disabled. */
  public Checkpoints checkpoints() {
    return checkpoints;
  }

  /** Starts the pipeline thread and connects to every board. */
  public synchronized void start() {
    startedAt = clock.instant();
    if (journal != null) {
      recoverOrBeginSession();
      journal.retainCycleOf(this::newestCheckpointIndex);
    }
    pipelineThread.start();
    shift.startWatching(ingest::latest, this::links, java.time.Duration.ofSeconds(1));
    for (BoardLink l : links) {
      l.start();
    }
    if (compassStream != null) {
      compassStream.start();
    }
    if (compassFollow != null) {
      if (!compassFollowResumed) {
        compassFollow.resume(null); // a new session: the position log's session-end line says what the journal has
      }
      compassFollow.start();
    }
    LOG.info("{}: daemon started, {} board(s), data in {}", config.experiment(), links.size(), dataDir.toAbsolutePath());
  }

  /** The latest pipeline snapshot (about once a second), or null before the first. */
  public PipelineSnapshot snapshot() {
    return ingest.latest();
  }

  public IngestLoop ingest() {
    return ingest;
  }

  public FrameQueue queue() {
    return queue;
  }

  public List<LinkStats> links() {
    List<LinkStats> out = new ArrayList<>();
    for (BoardLink l : links) {
      out.add(l.stats());
    }
    return out;
  }

  /** The followed CoMPASS folder, or null when compass.follow is not configured. */
  public CompassFollow compassFollow() {
    return compassFollow;
  }

  /** The CoMPASS TCP stream's counters, or null when compass.stream is not configured. */
  public CompassStreamStats compassStream() {
    return compassStream == null ? null : compassStream.stats();
  }

  public NudaqConfig config() {
    return config;
  }

  /** The data directory (spectra, run summary, checkpoints). */
  public Path dataDir() {
    return dataDir;
  }

  /** The run state set through the control API. */
  public RunControl run() {
    return run;
  }

  /** Runs, logbook and slow control. */
  public org.nudaq.server.shift.ShiftDesk shift() {
    return shift;
  }

  /** The summary file written on close. */
  public Path summaryFile() {
    return dataDir.resolve("run-summary.json");
  }

  /**
   * Closes the links, lets the pipeline finish everything already received, writes the final
   * spectra and the run summary. Safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    shift.close();
    for (BoardLink l : links) {
      l.close();
    }
    if (compassStream != null) {
      compassStream.close();
    }
    if (compassFollow != null) {
      compassFollow.close();
    }
    awaitFramesHeldByLinks();
    for (BoardLink l : links) {
      LinkStats s = l.stats();
      LOG.info("board {}: stopped reading: {} frames ({} events) received and passed on to the journal and pipeline, {} "
          + "received but not passed on (counted lost); {} bytes of frames cut off by a connection's end discarded; what the "
          + "board sent after its last frame received counts as lost frames in the next session if it continues its "
          + "numbering", s.boardId(), s.framesReceived(), s.eventsReceived(), s.framesDropped(), s.cutFrameBytes());
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    if (journal != null) {
      journal.linksAtStop(linksNumberedThrough());
    }
    awaitCalibrationFits();
    ingest.stop();
    // A daemon closed without start() has no pipeline thread to wait for (it would wait the whole minute).
    boolean pipelineStarted = pipelineThread.getState() != Thread.State.NEW;
    try {
      if (pipelineStarted && !ingest.awaitFinished(60, TimeUnit.SECONDS)) {
        LOG.error("the pipeline did not finish within 60 s; the summary is written from its last snapshot");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (checkpoints != null) {
      checkpoints.close(); // a write in flight completes
    }
    if (calibration != null) {
      calibration.close(); // its results can no longer be applied: the pipeline has finished
      saveCalibrationAtStop();
    }
    if (compassFollow != null && journal != null) {
      compassFollow.sessionEnded(b -> journaled.hasBoard((int) b) ? journaled.lastSequence((int) b) : -1);
    }
    PipelineSnapshot last = ingest.latest();
    if (last != null) {
      writeResults(last);
    }
    if (journal != null) {
      journal.close();
    }
  }

  /** Each board link's last sequence number passed on or counted lost (for the CLOSED record); boards without a numbering left out. */
  private Map<Integer, Long> linksNumberedThrough() {
    Map<Integer, Long> out = new LinkedHashMap<>();
    for (BoardLink l : links) {
      Long last = l.numberedThrough();
      if (last != null) {
        out.put(l.board().id(), last);
      }
    }
    return out;
  }

  /**
   * Issue 17: fits lagging behind the data (the calibration thread is slower than a stream at full speed, or the
   * machine is loaded) are journaled and applied in this session rather than carried to the next one: once the
   * pipeline has taken every queued frame, waits (at most {@link #CALIBRATION_FITS_WAIT_SECONDS}) for the fits,
   * whose results the pipeline then applies as the last commands before it finishes. Not while the journal
   * refuses records (the pipeline takes no frames then).
   */
  private void awaitCalibrationFits() {
    if (calibration == null || !pipelineThread.isAlive()) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CALIBRATION_FITS_WAIT_SECONDS);
    try {
      while (queue.size() > 0 && pipelineThread.isAlive() && !ingest.recorderRefusing() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      if (!ingest.recorderRefusing() && !calibration.awaitFitted(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        LOG.warn("calibration fits not finished within {} s of stopping; the state saved at the stop carries them",
            CALIBRATION_FITS_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Frames received whole while the queue was full wait in the links (back-pressure) for the pipeline to
   * make room; the event loops must not stop before they are handed over, or they would be lost. The
   * pipeline is still running here; waits at most {@link #HELD_FRAMES_WAIT_SECONDS}.
   */
  private void awaitFramesHeldByLinks() {
    if (!pipelineThread.isAlive()) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HELD_FRAMES_WAIT_SECONDS);
    try {
      // While the recorder refuses (disk full) the pipeline takes no frames: what the links hold is lost like
      // what is queued (IngestLoop), so no wait for it.
      while (queue.framesHeldByLinks() > 0 && pipelineThread.isAlive() && !ingest.recorderRefusing()
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long held = queue.framesHeldByLinks();
    if (held > 0) {
      LOG.error("{} frames received while the pipeline was full were not handed over within {} s of stopping; counted as lost",
          held, HELD_FRAMES_WAIT_SECONDS);
    }
  }

  private static Map<String, Object> recoverySummary(RecoveryReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", r.outcome().label);
    m.put("recovered", r.recovered());
    m.put("sessionStartDeleted", r.sessionStartDeleted());
    m.put("oldestKeptIndex", r.oldestKeptIndex());
    m.put("framesNotRecovered", r.framesNotRecovered());
    m.put("sessionStartIndex", r.sessionStartIndex());
    m.put("fromCheckpoint", r.fromCheckpoint());
    m.put("checkpointFile", r.fromCheckpoint() ? r.checkpointFile().getFileName().toString() : null);
    m.put("checkpointJournalIndex", r.checkpointJournalIndex());
    m.put("rejectedCheckpoints", r.rejected());
    m.put("framesReplayed", r.framesReplayed());
    m.put("eventsReplayed", r.eventsReplayed());
    m.put("sessionFrames", r.sessionFrames());
    m.put("elapsedSeconds", r.elapsedNanos() * 1e-9);
    return m;
  }

  private void writeResults(PipelineSnapshot last) {
    try {
      SpectraDirectory.write(dataDir.resolve(SpectraDirectory.RUN_SPECTRA), last.detectorSpectra());
      boolean balances = pipeline.accountingBalances();
      Map<String, Object> summary = new LinkedHashMap<>(RunSummary.of(config, startedAt == null ? clock.instant() : startedAt,
          clock.instant(), last, balances, links(), ingest.latestLimits()));
      RecoveryReport r = recovery;
      if (r != null) {
        summary.put("recovery", recoverySummary(r));
      }
      if (compassStream != null) {
        summary.put("compassStream", compassStream.stats().toMap());
      }
      if (compassFollow != null) {
        summary.put("compassFollow", compassFollow.toMap());
      }
      RunSummary.write(summary, summaryFile());
      LOG.info("run summary written to {}", summaryFile().toAbsolutePath());
    } catch (IOException | RuntimeException e) {
      LOG.error("could not write the run summary to {}: {}", summaryFile().toAbsolutePath(), e.toString());
    }
  }
}
