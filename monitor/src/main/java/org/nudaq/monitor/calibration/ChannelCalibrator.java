package org.nudaq.monitor.calibration;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nudaq.monitor.config.CalibrationConfig;

/**
 * One HPGe channel's online calibration: receives its raw (ADC) spectrum interval by interval (the counts
 * of each {@code calibration.intervalHours} of data time), keeps the recent window
 * ({@code calibration.windowDays}), and after each interval:
 * <ol>
 *   <li>fits the newest {@code stepDays} alone; if their gain differs from the current one by more than
 *       {@code stepSigmas} standard errors and {@code stepMinPercent}, that is a sudden step: the window
 *       restarts with the newest interval and its calibration (or, with too few counts in it, that of the
 *       newest stepDays) is applied ({@link CalibrationStatus#STEP}), instead of averaging across the step;</li>
 *   <li>otherwise fits the whole window and applies the result ({@link CalibrationStatus#CALIBRATED});</li>
 *   <li>with too few counts or failed fits the current calibration stays and the result says why.</li>
 * </ol>
 * A fit finds the lines by their pattern ({@link PatternSearch}), fits each ({@link PeakFitter}) and the
 * scale and resolution through them. Deterministic; not thread-safe (one owner thread).
 */
public final class ChannelCalibrator {
  private final CalibrationConfig config;
  private final double[] linesKeV;
  private final int adcLength;
  private final long windowNs;
  private final long stepNs;
  private final PeakFitter fitter = new PeakFitter();
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private EnergyScale scale;
  private ResolutionCurve resolution;
  private final ResolutionCurve prior;

  private record Chunk(long startNs, long endNs, long[] counts) {}

  /**
   * @param config     the calibration settings
   * @param linesKeV   the lines this channel uses (see {@link #usableLines})
   * @param initial    the channel's configured energy scale
   * @param prior      the detector's configured resolution curve
   * @param adcLength  the spectrum covers ADC values 0 … adcLength − 1 (see {@link #adcLength})
   */
  public ChannelCalibrator(CalibrationConfig config, double[] linesKeV, EnergyScale initial, ResolutionCurve prior,
      int adcLength) {
    this.config = config;
    this.linesKeV = linesKeV.clone();
    this.scale = initial;
    this.resolution = prior;
    this.prior = prior;
    this.adcLength = adcLength;
    this.windowNs = Math.round(config.windowDays() * 86_400e9);
    this.stepNs = Math.round(config.stepDays() * 86_400e9);
  }

  /** The configured lines (and pulser) above {@code thresholdKeV} + 2 FWHM, highest first. */
  public static double[] usableLines(CalibrationConfig config, double thresholdKeV, ResolutionCurve prior) {
    List<Double> out = new ArrayList<>();
    for (double e : config.linesKeV()) {
      if (e > thresholdKeV + 2 * prior.fwhmKeV(e)) {
        out.add(e);
      }
    }
    if (config.pulserKeV() > 0) {
      out.add(config.pulserKeV());
    }
    return out.stream().sorted(java.util.Comparator.reverseOrder()).mapToDouble(Double::doubleValue).toArray();
  }

  /** How many ADC channels the raw spectrum needs to cover the highest line with margin. */
  public static int adcLength(double[] linesKeV, EnergyScale scale, ResolutionCurve prior, CalibrationConfig config,
      int adcMax) {
    double top = 0;
    for (double e : linesKeV) {
      top = Math.max(top, e * (1 + config.searchPercent() / 100) + 6 * prior.sigmaKeV(e));
    }
    return (int) Math.min(adcMax + 1L, (long) Math.ceil(scale.adc(top)) + 1);
  }

  /** The energy scale in force. */
  public EnergyScale scale() {
    return scale;
  }

  /** The resolution curve in force. */
  public ResolutionCurve resolution() {
    return resolution;
  }

  /** Data time the window starts at, ns (Long.MAX_VALUE when empty). */
  public long windowStartNs() {
    return chunks.isEmpty() ? Long.MAX_VALUE : chunks.peekFirst().startNs;
  }

  /**
   * One interval's raw spectrum; returns what the calibration attempt after it came to.
   *
   * @param startNs  data time of the interval's start, ns
   * @param endNs    data time of its end, ns
   * @param counts   counts per ADC value over the interval (length ≥ adcLength; copied)
   */
  public Calibration onInterval(long startNs, long endNs, long[] counts) {
    chunks.addLast(new Chunk(startNs, endNs, Arrays.copyOf(counts, adcLength)));
    while (!chunks.isEmpty() && chunks.peekFirst().endNs <= endNs - windowNs) {
      chunks.removeFirst();
    }
    EnergyScale before = scale;
    long[] recent = sum(endNs - stepNs);
    Attempt r = attempt(recent);
    if (r.ok() && isStep(r.scale)) {
      // The newest stepDays crossed the step criteria, which they did not one interval ago: the step is most
      // likely in the newest interval, so the new epoch starts with it alone (its own fit when it has the
      // counts, else that of the newest stepDays).
      while (chunks.size() > 1) {
        chunks.removeFirst();
      }
      Attempt newest = attempt(sum(Long.MIN_VALUE));
      if (newest.ok() && Math.abs(newest.scale.gainKeVPerAdc() - r.scale.gainKeVPerAdc())
          < 3 * Math.hypot(newest.scale.gainErrKeVPerAdc(), r.scale.gainErrKeVPerAdc())) {
        r = newest; // the newest interval alone agrees with the newest stepDays: its own, unmixed fit
      }
      return apply(CalibrationStatus.STEP, r, endNs, before, String.format(Locale.ROOT,
          "gain step of %+.3f %% in the newest %.3g days: new epoch, window restarted", 100 * (r.scale.gainKeVPerAdc()
              / before.gainKeVPerAdc() - 1), config.stepDays()));
    }
    Attempt w = chunks.size() == countSince(endNs - stepNs) ? r : attempt(sum(Long.MIN_VALUE));
    if (w.ok()) {
      return apply(CalibrationStatus.CALIBRATED, w, endNs, before, String.format(Locale.ROOT,
          "%d lines, gain %+.4f %% from the previous calibration", w.lines.size(),
          100 * (w.scale.gainKeVPerAdc() / before.gainKeVPerAdc() - 1)));
    }
    return new Calibration(w.status, endNs, windowStartNs(), scale, resolution, w.lines, 0,
        w.message + ": the last good calibration stays");
  }

  private Calibration apply(CalibrationStatus status, Attempt a, long endNs, EnergyScale before, String message) {
    double maxShift = 0;
    for (LineFit l : a.lines) {
      double shift = before.energyKeV(l.positionAdc()) - l.energyKeV();
      if (Math.abs(shift) > Math.abs(maxShift)) {
        maxShift = shift;
      }
    }
    scale = a.scale;
    resolution = a.resolution;
    return new Calibration(status, endNs, windowStartNs(), scale, resolution, a.lines, maxShift, message);
  }

  private boolean isStep(EnergyScale recent) {
    double diff = recent.gainKeVPerAdc() - scale.gainKeVPerAdc();
    double err = recent.gainErrKeVPerAdc();
    return Math.abs(diff) > config.stepSigmas() * err
        && Math.abs(diff) / scale.gainKeVPerAdc() > config.stepMinPercent() / 100;
  }

  private int countSince(long fromNs) {
    int n = 0;
    for (Chunk c : chunks) {
      if (c.endNs > fromNs) {
        n++;
      }
    }
    return n;
  }

  private long[] sum(long fromNs) {
    long[] s = new long[adcLength];
    for (Chunk c : chunks) {
      if (c.endNs > fromNs) {
        for (int i = 0; i < adcLength; i++) {
          s[i] += c.counts[i];
        }
      }
    }
    return s;
  }

  private record Attempt(CalibrationStatus status, EnergyScale scale, ResolutionCurve resolution, List<LineFit> lines,
      String message) {
    boolean ok() {
      return status.applied();
    }
  }

  /** Finds and fits the lines in a spectrum, from the calibration in force. */
  Attempt attempt(long[] counts) {
    double[] sigmas = new double[linesKeV.length];
    for (int i = 0; i < linesKeV.length; i++) {
      sigmas[i] = resolution.sigmaKeV(linesKeV[i]);
    }
    double k = PatternSearch.bestGainFactor(counts, linesKeV, sigmas, scale.offsetKeV(), scale.gainKeVPerAdc(),
        config.searchPercent() / 100);
    double gain = scale.gainKeVPerAdc() * k;
    List<LineFit> ok = new ArrayList<>();
    int tooFew = 0;
    for (int i = 0; i < linesKeV.length; i++) {
      double center = (linesKeV[i] - scale.offsetKeV()) / gain;
      double[] offsets = new double[linesKeV.length - 1];
      for (int j = 0, n = 0; j < linesKeV.length; j++) {
        if (j != i) {
          offsets[n++] = (linesKeV[j] - linesKeV[i]) / gain;
        }
      }
      PeakFitter.Result r = fitter.fit(counts, linesKeV[i], center, sigmas[i] / gain, offsets, config.minLineCounts());
      if (r.fit() != null) {
        ok.add(r.fit());
      } else if (r.failure() == PeakFitter.Failure.TOO_FEW_COUNTS) {
        tooFew++;
      }
    }
    if (ok.size() < config.minLines()) {
      boolean starved = tooFew >= linesKeV.length - ok.size();
      return new Attempt(starved ? CalibrationStatus.TOO_FEW_COUNTS : CalibrationStatus.FIT_FAILED, scale, resolution, ok,
          String.format(Locale.ROOT, "%d of %d lines fitted (%d with too few counts), %d needed", ok.size(),
              linesKeV.length, tooFew, config.minLines()));
    }
    EnergyScale s = EnergyScaleFit.fit(ok, config.terms(), scale.offsetKeV());
    if (!(s.gainKeVPerAdc() > 0) || Math.abs(s.gainKeVPerAdc() / scale.gainKeVPerAdc() - 1) > 2 * config.searchPercent() / 100
        || (s.ndf() > 0 && s.chi2() / s.ndf() > 25)) {
      return new Attempt(CalibrationStatus.FIT_FAILED, scale, resolution, ok, String.format(Locale.ROOT,
          "the %d fitted lines disagree (χ²/ndf = %.1f/%d)", ok.size(), s.chi2(), s.ndf()));
    }
    double errPercent = 100 * s.gainErrKeVPerAdc() / s.gainKeVPerAdc();
    if (errPercent > config.maxGainErrPercent()) {
      return new Attempt(CalibrationStatus.TOO_FEW_COUNTS, scale, resolution, ok, String.format(Locale.ROOT,
          "too few counts: gain uncertain by ±%.2f %% (maxGainErrPercent %.2f %%)", errPercent, config.maxGainErrPercent()));
    }
    return new Attempt(CalibrationStatus.CALIBRATED, s, ResolutionCurve.fit(ok, s.gainKeVPerAdc(), prior), ok, "");
  }
}
