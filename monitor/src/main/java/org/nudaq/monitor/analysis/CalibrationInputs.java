package org.nudaq.monitor.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.ResolutionCurve;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SystematicsConfig;
import org.nudaq.monitor.config.SystematicsConfig.Source;

/**
 * What the limits take from the online calibration (issue 17, docs/analysis.md "Online energy calibration"):
 * the line masks' widths (each detector's epochs' resolution curves, {@link LineWidths}) and the energy-scale
 * nuisances' constraints, from the epochs applied during the data. A pure function of those epochs: the daemon
 * and a replay give it the epochs applied up to a pipeline data time (daq-server {@code CalibratedLimits}, so a
 * replay of the journal gives the same inputs), {@code nudaq limits --calibration} the epochs of a calibration
 * report ({@link CalibrationReport}); the same epochs give the same inputs, whoever asks. Here so that both
 * reach it: it needs no journal, no Netty, no Chronicle.
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

  /**
   * What the limits use of one applied calibration epoch: the parts of a {@link Calibration} the line masks and
   * the energy-scale constraints take (the same numbers whether from the applied calibration itself or from its
   * line in a calibration report).
   *
   * @param atNs              data time of the calibration that started the epoch, ns
   * @param gainKeVPerAdc     its gain, keV per ADC channel
   * @param gainErrKeVPerAdc  the gain's standard error, keV per ADC channel
   * @param offsetKeV         its offset, keV
   * @param offsetErrKeV      the offset's standard error, keV (0: the offset was not fitted)
   * @param resolution        its resolution curve FWHM(E)² = noise + slope·E
   */
  public record Epoch(long atNs, double gainKeVPerAdc, double gainErrKeVPerAdc, double offsetKeV, double offsetErrKeV,
      ResolutionCurve resolution) {

    /** The epoch of an applied calibration. */
    public static Epoch of(Calibration c) {
      return new Epoch(c.atNs(), c.scale().gainKeVPerAdc(), c.scale().gainErrKeVPerAdc(), c.scale().offsetKeV(),
          c.scale().offsetErrKeV(), c.resolution());
    }
  }

  /**
   * The inputs from the applied epochs of each HPGe channel of the configuration.
   *
   * @param applied  a channel ({@code board<id>/ch<n>}) to its applied epochs, oldest first (empty: none)
   */
  public static CalibrationInputs of(NudaqConfig config, Function<String, List<Epoch>> applied) {
    List<LineWidths.Detector> detectors = new ArrayList<>();
    List<String> channels = new ArrayList<>();
    List<List<Epoch>> perChannel = new ArrayList<>();
    for (DetectorConfig d : config.detectors()) {
      List<LineWidths.Epoch> epochs = new ArrayList<>();
      for (BoardConfig b : config.digitizer().boards()) {
        for (ChannelConfig ch : b.channels()) {
          if (ch.role() != ChannelConfig.Role.HPGE || !d.name().equals(ch.detector())) {
            continue;
          }
          String key = "board" + b.id() + "/ch" + ch.channel();
          List<Epoch> channelEpochs = applied.apply(key);
          for (Epoch c : channelEpochs) {
            epochs.add(new LineWidths.Epoch(key, c.atNs(), c.resolution()));
          }
          if (!channelEpochs.isEmpty()) {
            channels.add(key);
            perChannel.add(channelEpochs);
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

  private static SystematicsConfig gain(SystematicsConfig s, List<String> channels, List<List<Epoch>> epochs) {
    if (!(s.sources().get(Source.ENERGY_GAIN).sigma() > 0)) {
      return s;
    }
    Spread p = Spread.of(epochs, e -> Math.abs(e.gainErrKeVPerAdc() / e.gainKeVPerAdc()),
        (before, e) -> e.gainKeVPerAdc() / before.gainKeVPerAdc() - 1);
    if (!p.usable()) {
      return s;
    }
    return s.withMeasured(Source.ENERGY_GAIN, p.sigma(), String.format(Locale.ROOT,
        "calibration: %d epochs of %s; largest fitted gain error %.4f %%, epoch-to-epoch gain changes %.4f %% rms "
            + "(%d changes), in quadrature", p.epochs(), String.join(", ", channels), 100 * p.fit(), 100 * p.drift(),
        p.changes()));
  }

  private static SystematicsConfig offset(SystematicsConfig s, List<String> channels, List<List<Epoch>> epochs) {
    if (!(s.sources().get(Source.ENERGY_OFFSET).sigma() > 0)) {
      return s;
    }
    for (List<Epoch> list : epochs) {
      for (Epoch e : list) {
        if (!(e.offsetErrKeV() > 0)) {
          return s; // the offset was not fitted (terms: gain): its configured σ stays
        }
      }
    }
    Spread p = Spread.of(epochs, Epoch::offsetErrKeV, (before, e) -> e.offsetKeV() - before.offsetKeV());
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
    static Spread of(List<List<Epoch>> perChannel, ToDoubleFunction<Epoch> fitError,
        ToDoubleBiFunction<Epoch, Epoch> change) {
      double fit = 0;
      double sumSq = 0;
      int changes = 0;
      int count = 0;
      for (List<Epoch> list : perChannel) {
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
