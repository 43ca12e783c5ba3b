package org.nudaq.server.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import org.nudaq.monitor.analysis.LineWidths;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SystematicsConfig;
import org.nudaq.monitor.config.SystematicsConfig.Source;

/**
 * What the limits take from the online calibration (issue 17, docs/analysis.md "Online energy calibration"):
 * the line masks' widths (each detector's epochs' resolution curves, {@link LineWidths}) and the energy-scale
 * nuisances' constraints, from the epochs applied up to a pipeline data time. A pure function of the applied
 * (journaled) calibrations and that data time, so a replay of the journal gives the same inputs.
 *
 * <p>Energy-scale gain: σ = √(σ_fit² + σ_drift²), σ_fit the largest relative gain error (gainErr/gain) of the
 * epochs in the data, σ_drift the rms of the relative gain changes from each epoch to the next (over all
 * channels): the calibration's own error, and the gain moves that each epoch did not follow while it was in
 * force. The offset likewise when the epochs fitted it ({@code calibration.terms: gain-offset}); with
 * {@code gain} only the offset keeps its configured σ. A source switched off ({@code sigma: 0}) or the
 * systematic fit switched off stays so. Immutable.
 *
 * @param widths       the line masks' widths
 * @param systematics  the nuisance settings with the energy-scale constraints from the calibration when it has
 *                     epochs
 */
public record CalibrationInputs(LineWidths widths, SystematicsConfig systematics) {

  /** True when nothing comes from the calibration (the configured limits apply as they are). */
  public boolean isConfigured(NudaqConfig config) {
    return widths.isConfigured() && systematics.equals(config.analysis().systematics());
  }

  /** The inputs from the calibrations applied at pipeline data time ≤ {@code dataTimeNs}. */
  public static CalibrationInputs of(NudaqConfig config, CalibrationHistory history, long dataTimeNs) {
    List<LineWidths.Detector> detectors = new ArrayList<>();
    List<String> channels = new ArrayList<>();
    List<List<Calibration>> perChannel = new ArrayList<>();
    for (DetectorConfig d : config.detectors()) {
      List<LineWidths.Epoch> epochs = new ArrayList<>();
      for (BoardConfig b : config.digitizer().boards()) {
        for (ChannelConfig ch : b.channels()) {
          if (ch.role() != ChannelConfig.Role.HPGE || !d.name().equals(ch.detector())) {
            continue;
          }
          String key = "board" + b.id() + "/ch" + ch.channel();
          List<Calibration> applied = history.appliedUpTo(key, dataTimeNs);
          for (Calibration c : applied) {
            epochs.add(new LineWidths.Epoch(key, c.atNs(), c.resolution()));
          }
          if (!applied.isEmpty()) {
            channels.add(key);
            perChannel.add(applied);
          }
        }
      }
      if (!epochs.isEmpty()) {
        detectors.add(new LineWidths.Detector(d.name(), epochs));
      }
    }
    SystematicsConfig s = config.analysis().systematics();
    if (!perChannel.isEmpty() && s.enabled()) {
      s = gain(s, channels, perChannel);
      s = offset(s, channels, perChannel);
    }
    return new CalibrationInputs(new LineWidths(detectors), s);
  }

  private static SystematicsConfig gain(SystematicsConfig s, List<String> channels, List<List<Calibration>> epochs) {
    if (!(s.sources().get(Source.ENERGY_GAIN).sigma() > 0)) {
      return s;
    }
    Spread p = Spread.of(epochs, c -> Math.abs(c.scale().gainErrKeVPerAdc() / c.scale().gainKeVPerAdc()),
        (before, c) -> c.scale().gainKeVPerAdc() / before.scale().gainKeVPerAdc() - 1);
    if (!p.usable()) {
      return s;
    }
    return s.withMeasured(Source.ENERGY_GAIN, p.sigma(), String.format(Locale.ROOT,
        "calibration: %d epochs of %s; largest fitted gain error %.4f %%, epoch-to-epoch gain changes %.4f %% rms "
            + "(%d changes), in quadrature", p.epochs(), String.join(", ", channels), 100 * p.fit(), 100 * p.drift(),
        p.changes()));
  }

  private static SystematicsConfig offset(SystematicsConfig s, List<String> channels, List<List<Calibration>> epochs) {
    if (!(s.sources().get(Source.ENERGY_OFFSET).sigma() > 0)) {
      return s;
    }
    for (List<Calibration> list : epochs) {
      for (Calibration c : list) {
        if (!(c.scale().offsetErrKeV() > 0)) {
          return s; // the offset was not fitted (terms: gain): its configured σ stays
        }
      }
    }
    Spread p = Spread.of(epochs, c -> c.scale().offsetErrKeV(), (before, c) -> c.scale().offsetKeV() - before.scale().offsetKeV());
    if (!p.usable()) {
      return s;
    }
    return s.withMeasured(Source.ENERGY_OFFSET, p.sigma(), String.format(Locale.ROOT,
        "calibration: %d epochs of %s; largest fitted offset error %.4f keV, epoch-to-epoch offset changes "
            + "%.4f keV rms (%d changes), in quadrature", p.epochs(), String.join(", ", channels), p.fit(), p.drift(),
        p.changes()));
  }

  /**
   * One energy-scale term over every channel's epochs: the largest fitted error, and the rms of its changes from
   * each epoch to the next of the same channel.
   *
   * @param fit     the largest fitted error
   * @param drift   the rms epoch-to-epoch change (0 without a change)
   * @param epochs  epochs in all channels
   * @param changes epoch-to-epoch changes counted
   */
  private record Spread(double fit, double drift, int epochs, int changes) {
    static Spread of(List<List<Calibration>> perChannel, ToDoubleFunction<Calibration> fitError,
        ToDoubleBiFunction<Calibration, Calibration> change) {
      double fit = 0;
      double sumSq = 0;
      int changes = 0;
      int count = 0;
      for (List<Calibration> list : perChannel) {
        for (int i = 0; i < list.size(); i++) {
          fit = Math.max(fit, fitError.applyAsDouble(list.get(i)));
          count++;
          if (i > 0) {
            double d = change.applyAsDouble(list.get(i - 1), list.get(i));
            sumSq += d * d;
            changes++;
          }
        }
      }
      return new Spread(fit, changes == 0 ? 0 : Math.sqrt(sumSq / changes), count, changes);
    }

    /** σ = √(fit² + drift²). */
    double sigma() {
      return Math.hypot(fit, drift);
    }

    /** Whether σ can constrain the nuisance (positive and finite). */
    boolean usable() {
      double sigma = sigma();
      return sigma > 0 && Double.isFinite(sigma);
    }
  }
}
