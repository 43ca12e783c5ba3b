package org.nudaq.server.calibration;

import java.util.HashMap;
import java.util.Map;
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
    if (executor == null) {
      fit(boardId, channel, fromNs, toNs, counts);
    } else {
      executor.execute(() -> {
        try {
          fit(boardId, channel, fromNs, toNs, counts);
        } catch (RuntimeException e) {
          LOG.error("calibration of board {} channel {} failed: {}", boardId, channel, e.toString());
        }
      });
    }
  }

  private void fit(int boardId, int channel, long fromNs, long toNs, long[] counts) {
    ChannelCalibrator c = calibrators.computeIfAbsent(((long) boardId << 32) | channel, k -> create(boardId, channel));
    if (c == null) {
      return;
    }
    Calibration result = c.onInterval(fromNs, toNs, counts);
    CalibrationCodec.Change change = new CalibrationCodec.Change(boardId, channel, result);
    history.attempted(change);
    if (result.status().applied()) {
      apply.accept(change);
    } else {
      LOG.warn("calibration of board {} channel {}: {}", boardId, channel, result.message());
    }
  }

  private ChannelCalibrator create(int boardId, int channel) {
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
        history.configured(boardId, channel, scale); // the scale the first attempt's line shifts refer to
        double[] lines = ChannelCalibrator.usableLines(config.calibration(), d.thresholdKeV(), prior);
        int length = ChannelCalibrator.adcLength(lines, scale, prior, config.calibration(), (1 << b.adcBits()) - 1);
        return new ChannelCalibrator(config.calibration(), lines, scale, prior, length);
      }
    }
    return null;
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
