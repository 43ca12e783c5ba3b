package org.nudaq.server.calibration;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.analysis.CalibrationInputs;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * The running limits with what the online calibration measured (issue 17): for each snapshot, the
 * {@link CalibrationInputs} of the calibrations applied up to the snapshot's data time (line masks from the
 * epochs' resolution curves, energy-scale constraints from their gains); the limits model is rebuilt when
 * those inputs change (once per applied calibration at most, on the limits thread: the costly folding once, then
 * milliseconds per change, {@link ExperimentLimits.Model}) and the configured model is used while nothing comes
 * from the calibration. The same journal therefore gives the same limits online
 * and in a replay.
 *
 * <p>Not thread-safe: one user thread (the "nudaq-limits" thread, or a replay's).
 */
public final class CalibratedLimits {
  private final NudaqConfig config;
  private final ExperimentLimits configured;
  private final CalibrationHistory history;
  private CalibrationInputs lastInputs;
  private ExperimentLimits last;
  private ExperimentLimits.Model model;
  private long rebuilds;

  /**
   * @param config      the configuration the limits are built from
   * @param configured  the limits model of the configuration as it is (used when the calibration adds nothing)
   * @param history     the applied calibrations
   */
  public CalibratedLimits(NudaqConfig config, ExperimentLimits configured, CalibrationHistory history) {
    this.config = config;
    this.configured = configured;
    this.history = history;
  }

  /** The limits model for the calibrations applied up to {@code dataTimeNs}. */
  public ExperimentLimits limitsAt(long dataTimeNs) {
    CalibrationInputs in = inputsAt(config, history, dataTimeNs);
    if (in.isConfigured(config)) {
      return configured;
    }
    if (!in.equals(lastInputs)) {
      if (model == null) {
        model = ExperimentLimits.Model.of(config); // ~1 s once; each change after that takes milliseconds
      }
      last = model.limits(in.systematics(), in.widths());
      lastInputs = in;
      rebuilds++;
    }
    return last;
  }

  /**
   * The inputs from the calibrations applied at pipeline data time ≤ {@code dataTimeNs} (each selected by the data
   * time at which the pipeline applied it, {@link CalibrationHistory#appliedUpTo}).
   */
  public static CalibrationInputs inputsAt(NudaqConfig config, CalibrationHistory history, long dataTimeNs) {
    return CalibrationInputs.of(config, channel -> {
      List<CalibrationInputs.Epoch> epochs = new ArrayList<>();
      for (org.nudaq.monitor.calibration.Calibration c : history.appliedUpTo(channel, dataTimeNs)) {
        epochs.add(CalibrationInputs.Epoch.of(c));
      }
      return epochs;
    });
  }

  /** The limits of a snapshot (null while some detector lacks ON or OFF live time). */
  public ExperimentResult update(PipelineSnapshot snapshot) {
    return snapshot.updateLimits(limitsAt(snapshot.dataTimeNs()));
  }

  /** Models built from calibration inputs so far. */
  public long rebuilds() {
    return rebuilds;
  }
}
