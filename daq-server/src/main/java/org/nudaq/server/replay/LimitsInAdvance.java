package org.nudaq.server.replay;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.Stage;

/**
 * The running-limits model of a replay (the physics tables, the expected spectra folded with the
 * detector response: ~1-2 s of a cold JVM), built on its own thread while the replay runs instead of
 * after it, so a command-line replay on two cores does not wait for it (issue 19) — where the replay
 * leaves a core for it ({@link #whileReplaying}) — and not built at all when the final snapshot cannot
 * give limits (no ON or no OFF live time). The limits are the same as
 * {@link ReplayResult#limits()}: the same model applied to the same final snapshot.
 *
 * <p>Thread-safe: built on a daemon thread, read through a future (which orders the build before the use).
 */
public final class LimitsInAdvance {
  /** The model being built, or null to build it on demand. */
  private final CompletableFuture<ExperimentLimits> model;
  private final NudaqConfig config;
  /** Issue 17: the replay's applied calibrations (their widths and constraints enter the limits); null: none. */
  private volatile org.nudaq.server.calibration.CalibrationHistory calibrations;

  private LimitsInAdvance(CompletableFuture<ExperimentLimits> model, NudaqConfig config) {
    this.model = model;
    this.config = config;
  }

  /**
   * A model built only if a snapshot has the live time to need it, on the calling thread: for a replay
   * known to give one reactor state or none (a CoMPASS folder with {@code --reactor} or without any
   * reactor flag), whose limits are null without building anything.
   */
  public static LimitsInAdvance onDemand(NudaqConfig config) {
    return new LimitsInAdvance(null, config);
  }

  /**
   * For a replay on {@code replayThreads} threads: the model built in advance on a thread of its own
   * when a core is left over by the replay ({@link #start}), else only after it and only if the result
   * can have limits ({@link #onDemand}). On a machine whose every core replays a segment, a model
   * built meanwhile takes CPU from the segments (~1-2 s of a cold JVM), for nothing when the result has
   * no limits (issue 19: the whole command's speed-up on 2 cores).
   */
  public static LimitsInAdvance whileReplaying(NudaqConfig config, int replayThreads) {
    return replayThreads < Runtime.getRuntime().availableProcessors() ? start(config) : onDemand(config);
  }

  /** Starts building the model of {@code config} on a new daemon thread. */
  public static LimitsInAdvance start(NudaqConfig config) {
    CompletableFuture<ExperimentLimits> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(ExperimentLimits.forConfig(config));
      } catch (RuntimeException | Error e) {
        f.completeExceptionally(e);
      }
    }, "replay-limits-model");
    t.setDaemon(true);
    t.start();
    return new LimitsInAdvance(f, config);
  }

  /**
   * Issue 17: the limits take the line masks' widths and the energy-scale constraints from the calibrations
   * the replay applied (as the daemon did online); returns this.
   */
  public LimitsInAdvance calibratedBy(org.nudaq.server.calibration.CalibrationHistory history) {
    this.calibrations = history;
    return this;
  }

  /**
   * False when {@code snapshot} cannot give limits whatever the model: {@link ExperimentLimits#update}
   * returns null unless every detector has ON and OFF live time after the gates.
   */
  public static boolean canHaveLimits(PipelineSnapshot snapshot) {
    for (PipelineSnapshot.DetectorSnapshot d : snapshot.detectors()) {
      if (!(d.spectrum(Stage.AFTER_GATES, ReactorState.ON).liveTimeDays() > 0)
          || !(d.spectrum(Stage.AFTER_GATES, ReactorState.OFF).liveTimeDays() > 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The limits of {@code snapshot}, waiting for the model if it is not built yet; null when they cannot
   * be computed (a model the configuration cannot give, or too little live time), as {@link ReplayResult#limits()}.
   */
  public ExperimentResult limitsOf(PipelineSnapshot snapshot) {
    if (!canHaveLimits(snapshot)) {
      return null;
    }
    ExperimentLimits limits;
    try {
      limits = model == null ? ExperimentLimits.forConfig(config) : model.get();
    } catch (RuntimeException e) {
      return null;
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    try {
      return calibrations == null ? snapshot.updateLimits(limits)
          : new org.nudaq.server.calibration.CalibratedLimits(config, limits, calibrations).update(snapshot);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
