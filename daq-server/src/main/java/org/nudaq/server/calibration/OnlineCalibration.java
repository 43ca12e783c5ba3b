package org.nudaq.server.calibration;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.calibration.ChannelCalibrator;
import org.nudaq.monitor.calibration.EnergyScale;
import org.nudaq.monitor.calibration.ResolutionCurve;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.server.pipeline.EventPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the calibration of every HPGe channel: each interval's raw spectrum arrives from the pipeline thread
 * ({@link EventPipeline.CalibrationIntervals}); each channel's {@link ChannelCalibrator} fits it and every
 * attempt goes into the {@link CalibrationHistory}; a calibration to apply goes to the {@code apply} action,
 * which the daemon runs on the pipeline thread (journal first, then {@link EventPipeline#applyCalibration}).
 *
 * <p>Threads: {@link Mode#BACKGROUND} fits on its own "nudaq-calibration" thread (the pipeline thread only
 * copies the spectra once per interval), in order; {@link Mode#INLINE} fits on the calling thread, for a
 * replay that recalibrates from scratch and for studies (deterministic: the same inputs give the same
 * epochs). The calibrators are confined to the thread that fits.
 *
 * <p>State across restarts (docs/journal-and-replay.md "Calibration state"): in BACKGROUND mode it keeps, under
 * one lock, each channel's calibrator state after its last fit, the intervals handed over but not yet fitted and
 * the calibrations made but not yet journaled, so that {@link #saveState} on the pipeline thread captures
 * exactly what the journal up to the checkpoint's record implies ({@link CalibrationState}). A recovery
 * ({@link #beginRecovery} … {@link #endRecovery}) fits on the recovering thread, in journal order, and
 * journals again only the calibrations the killed daemon had not journaled.
 */
public final class OnlineCalibration implements EventPipeline.CalibrationIntervals, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnlineCalibration.class);

  /** Where the fitting runs. */
  public enum Mode {
    BACKGROUND,
    INLINE
  }

  private final NudaqConfig config;
  private final Mode mode;
  private final Consumer<CalibrationCodec.Change> apply;
  private final CalibrationHistory history;
  private final ExecutorService executor;
  private final Map<Long, ChannelCalibrator> calibrators = new HashMap<>();
  private final AtomicLong intervals = new AtomicLong();
  /** Guards the three below (BACKGROUND mode only; INLINE keeps nothing). */
  private final Object lock = new Object();
  /** Per channel (board << 32 | channel, sorted): the calibrator's state after its last fit. */
  private final Map<Long, CalibrationState.Channel> fitted = new TreeMap<>();
  /** Intervals handed over and not yet fitted, oldest first. */
  private final ArrayDeque<CalibrationState.Interval> pending = new ArrayDeque<>();
  /** Calibrations to apply that were not yet journaled, oldest first. */
  private final ArrayDeque<CalibrationCodec.Change> unjournaled = new ArrayDeque<>();
  /** Between {@link #beginRecovery} and {@link #endRecovery}: fits inline, nothing handed to {@code apply}. */
  private volatile boolean recovering;

  /**
   * @param config   the configuration (calibration section, detectors, channels)
   * @param mode     where fits run
   * @param apply    receives each calibration to apply (BACKGROUND: on the calibration thread; the receiver
   *                 hands it to the pipeline thread)
   * @param history  where every attempt is recorded
   */
  public OnlineCalibration(NudaqConfig config, Mode mode, Consumer<CalibrationCodec.Change> apply, CalibrationHistory history) {
    this.config = config;
    this.mode = mode;
    this.apply = apply;
    this.history = history;
    this.executor = mode == Mode.BACKGROUND ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "nudaq-calibration");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  public CalibrationHistory history() {
    return history;
  }

  /** Intervals received. */
  public long intervals() {
    return intervals.get();
  }

  @Override
  public void onInterval(int boardId, int channel, long fromNs, long toNs, long[] counts) {
    intervals.incrementAndGet();
    CalibrationState.Interval interval = new CalibrationState.Interval(boardId, channel, fromNs, toNs, counts);
    if (executor == null || recovering) {
      track(interval);
      fit(interval);
    } else {
      track(interval);
      executor.execute(() -> {
        try {
          fit(interval);
        } catch (RuntimeException e) {
          LOG.error("calibration of board {} channel {} failed: {}", boardId, channel, e.toString());
        }
      });
    }
  }

  private void track(CalibrationState.Interval interval) {
    if (executor != null) {
      synchronized (lock) {
        pending.addLast(interval);
      }
    }
  }

  private static long key(int boardId, int channel) {
    return ((long) boardId << 32) | (channel & 0xFFFFFFFFL);
  }

  private void fit(CalibrationState.Interval iv) {
    ChannelCalibrator c;
    Calibration result;
    try {
      c = calibrators.computeIfAbsent(key(iv.boardId(), iv.channel()), k -> create(iv.boardId(), iv.channel()));
      if (c != null && iv.fromNs() < c.windowEndNs()) {
        // The data clock went back (a digitizer restarted between sessions): the window's times no longer
        // compare with the new ones. It starts again; the last good calibration stays.
        LOG.warn("calibration of board {} channel {}: data time {} ns is before the window's end {} ns (the clock was "
            + "reset); the window starts again, the calibration in force stays", iv.boardId(), iv.channel(), iv.fromNs(),
            c.windowEndNs());
        ChannelCalibrator.State s = c.state();
        c.restore(new ChannelCalibrator.State(List.of(), s.scale(), s.resolution(), s.applied()));
      }
      result = c == null ? null : c.onInterval(iv.fromNs(), iv.toNs(), iv.counts());
    } catch (RuntimeException e) {
      untrack(iv);
      throw e;
    }
    if (c == null) {
      untrack(iv);
      return;
    }
    CalibrationCodec.Change change = new CalibrationCodec.Change(iv.boardId(), iv.channel(), result);
    history.attempted(change);
    boolean hand = result.status().applied();
    if (executor != null) {
      synchronized (lock) {
        pending.remove(iv);
        fitted.put(key(iv.boardId(), iv.channel()),
            new CalibrationState.Channel(iv.boardId(), iv.channel(), c.linesKeV(), c.spectrumLength(), c.state()));
        if (hand) {
          unjournaled.addLast(change);
        }
        hand &= !recovering; // a recovery hands over at its end what the journal did not have
      }
    }
    if (hand) {
      apply.accept(change);
    } else if (!result.status().applied() && !recovering) {
      LOG.warn("calibration of board {} channel {}: {}", iv.boardId(), iv.channel(), result.message());
    }
  }

  private void untrack(CalibrationState.Interval iv) {
    if (executor != null) {
      synchronized (lock) {
        pending.remove(iv);
      }
    }
  }

  /**
   * A calibration is being journaled (pipeline thread, right before): no longer owed to the journal. Also for
   * each CALIBRATION record a recovery replays: the killed daemon journaled it, so it is not journaled again.
   */
  public void journaled(CalibrationCodec.Change c) {
    if (executor == null) {
      return;
    }
    synchronized (lock) {
      for (Iterator<CalibrationCodec.Change> it = unjournaled.iterator(); it.hasNext(); ) {
        CalibrationCodec.Change u = it.next();
        if (u.boardId() == c.boardId() && u.channel() == c.channel() && u.calibration().atNs() == c.calibration().atNs()) {
          it.remove();
          return;
        }
      }
    }
  }

  /**
   * The state as of the last interval handed over (pipeline thread, between inputs: a checkpoint): each
   * channel's calibrator after its last fit, the intervals not yet fitted, the calibrations not yet journaled,
   * and the epochs applied ({@link CalibrationState}).
   */
  public void saveState(org.nudaq.server.pipeline.StateWriter out) {
    synchronized (lock) {
      CalibrationState.write(out, fitted.values(), pending, unjournaled, history.appliedEpochs());
    }
  }

  /**
   * A recovery begins (before the pipeline thread starts): intervals are fitted on the calling thread in
   * journal order and their calibrations kept until {@link #endRecovery}.
   */
  public void beginRecovery() {
    recovering = true;
  }

  /**
   * Restores a state {@link CalibrationState#read} read and {@link #check}ed (during a recovery): the
   * calibrators, the epochs applied, the calibrations not yet journaled; the intervals not yet fitted are
   * fitted now.
   */
  public void restore(CalibrationState saved) {
    restoreCalibrators(saved);
    history.restoreApplied(saved.applied());
    synchronized (lock) {
      unjournaled.addAll(saved.unjournaled());
    }
    LOG.info("calibration: restored from the checkpoint, {}; {} epochs applied, {} calibrations not yet journaled",
        describe(saved), saved.applied().size(), saved.unjournaled().size());
    for (CalibrationState.Interval iv : saved.pending()) {
      onInterval(iv.boardId(), iv.channel(), iv.fromNs(), iv.toNs(), iv.counts());
    }
  }

  /**
   * A new session continues from the state saved at the clean stop of the one before ({@link CalibrationAtStop}):
   * the calibrators (window, epoch, last good calibration, step-scan fits) and the intervals not yet fitted; not
   * the epochs applied (the new session's spectra start empty) nor the calibrations owed to the old journal
   * (their scale is the calibrators' and comes back with {@link #lastCalibrations}). Before any interval of the
   * new session.
   *
   * @throws org.nudaq.server.pipeline.StateFormatException if it does not fit this configuration ({@link #check})
   */
  public void resumeAfterStop(CalibrationState saved) {
    check(saved);
    LOG.info("calibration: continues from the state at the last stop, {}", describe(saved));
    restoreCalibrators(saved);
    for (CalibrationState.Interval iv : saved.pending()) {
      onInterval(iv.boardId(), iv.channel(), iv.fromNs(), iv.toNs(), iv.counts());
    }
  }

  /** Each channel's calibrator as saved (window, epoch, last good calibration, step-scan fits). */
  private void restoreCalibrators(CalibrationState saved) {
    for (CalibrationState.Channel ch : saved.channels()) {
      ChannelCalibrator c = create(ch.boardId(), ch.channel());
      c.restore(ch.state());
      calibrators.put(key(ch.boardId(), ch.channel()), c);
      history.configured(ch.boardId(), ch.channel(), ch.state().scale());
      synchronized (lock) {
        fitted.put(key(ch.boardId(), ch.channel()), ch);
      }
    }
  }

  /** One line: per channel the window's intervals and span; the intervals not yet fitted. */
  private static String describe(CalibrationState saved) {
    StringBuilder b = new StringBuilder();
    for (CalibrationState.Channel ch : saved.channels()) {
      List<ChannelCalibrator.WindowInterval> w = ch.state().window();
      b.append(String.format(java.util.Locale.ROOT, "board %d channel %d: window of %d intervals (%.2f days)%s, ",
          ch.boardId(), ch.channel(), w.size(), w.isEmpty() ? 0.0 : (w.get(w.size() - 1).endNs() - w.get(0).startNs()) / 86_400e9,
          ch.state().applied() ? "" : ", not calibrated yet"));
    }
    return b.append(saved.pending().size()).append(" intervals not yet fitted").toString();
  }

  /**
   * Per channel the newest calibration of a saved state — one not yet journaled, else the newest applied —
   * which a new session journals and applies first (the last good calibration, in force from its start).
   */
  public static List<CalibrationCodec.Change> lastCalibrations(CalibrationState saved) {
    Map<Long, CalibrationCodec.Change> last = new TreeMap<>();
    for (CalibrationHistory.AppliedEpoch e : saved.applied()) {
      last.put(key(e.change().boardId(), e.change().channel()), e.change());
    }
    for (CalibrationCodec.Change c : saved.unjournaled()) {
      last.put(key(c.boardId(), c.channel()), c);
    }
    return new ArrayList<>(last.values());
  }

  /**
   * Whether a saved state fits this configuration: every channel an HPGe channel with the same lines and
   * spectrum length.
   *
   * @throws org.nudaq.server.pipeline.StateFormatException naming the first that does not
   */
  public void check(CalibrationState saved) {
    for (CalibrationState.Channel ch : saved.channels()) {
      ChannelCalibrator c = create(ch.boardId(), ch.channel(), false);
      String name = "calibration state of board " + ch.boardId() + " channel " + ch.channel();
      if (c == null) {
        throw new org.nudaq.server.pipeline.StateFormatException(name + ": not an HPGe channel of this configuration", 0);
      }
      if (!java.util.Arrays.equals(c.linesKeV(), ch.linesKeV()) || c.spectrumLength() != ch.spectrumLength()) {
        throw new org.nudaq.server.pipeline.StateFormatException(name + ": lines or spectrum length differ from this "
            + "configuration's", 0);
      }
    }
  }

  /**
   * The recovery is over: the calibrations made while it replayed the journal that the journal did not have go
   * to {@code apply} (to be journaled and applied), oldest first.
   */
  public void endRecovery() {
    List<CalibrationCodec.Change> owed;
    synchronized (lock) {
      recovering = false;
      owed = new ArrayList<>(unjournaled);
    }
    for (CalibrationCodec.Change c : owed) {
      apply.accept(c);
    }
  }

  private ChannelCalibrator create(int boardId, int channel) {
    return create(boardId, channel, true);
  }

  /** The channel's calibrator from the configuration (null: not an HPGe channel); {@code record}: tell the history. */
  private ChannelCalibrator create(int boardId, int channel, boolean record) {
    for (BoardConfig b : config.digitizer().boards()) {
      if (b.id() != boardId) {
        continue;
      }
      for (ChannelConfig ch : b.channels()) {
        if (ch.channel() != channel || ch.role() != ChannelConfig.Role.HPGE) {
          continue;
        }
        DetectorConfig d = config.detectors().stream().filter(x -> x.name().equals(ch.detector())).findFirst().orElseThrow();
        ResolutionCurve prior = ResolutionCurve.of(ConfiguredPhysics.response(d));
        double[] cal = ch.calibration();
        EnergyScale scale = new EnergyScale(cal[0], cal[1], 0, 0, 0, 0, 0);
        if (record) {
          history.configured(boardId, channel, scale); // the scale the first attempt's line shifts refer to
        }
        double[] lines = ChannelCalibrator.usableLines(config.calibration(), d.thresholdKeV(), prior);
        int length = ChannelCalibrator.adcLength(lines, scale, prior, config.calibration(), (1 << b.adcBits()) - 1);
        return new ChannelCalibrator(config.calibration(), lines, scale, prior, length);
      }
    }
    return null;
  }

  /**
   * Waits (BACKGROUND; at most the timeout) until every interval handed over so far has been fitted and each
   * calibration to apply handed to {@code apply}: the fits run in order on one thread, so a marker queued behind
   * them runs last. The daemon calls it at a clean stop, while its pipeline still runs, so that fits lagging
   * behind the data (a replay at full speed, a loaded machine) are journaled and applied in this session.
   * True if they were.
   */
  public boolean awaitFitted(long timeout, TimeUnit unit) throws InterruptedException {
    if (executor == null || executor.isShutdown()) {
      return true;
    }
    try {
      executor.submit(() -> { }).get(timeout, unit);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | java.util.concurrent.RejectedExecutionException e) {
      return false;
    }
  }

  /** Waits for queued fits (BACKGROUND), then stops the thread. */
  @Override
  public void close() {
    if (executor != null) {
      executor.shutdown();
      try {
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
          LOG.warn("calibration fits still running after 30 s; abandoned");
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        executor.shutdownNow();
      }
    }
  }
}
