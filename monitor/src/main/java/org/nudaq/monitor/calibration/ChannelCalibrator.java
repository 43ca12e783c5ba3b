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
 *   <li>fits the interval's spectrum alone (its gain and error, kept with it) and scans the intervals of the
 *       current epoch for a sudden step (a power cut): the interval boundary where the mean gains before and
 *       after differ most, in units of their combined error; beyond {@code stepSigmas} and
 *       {@code stepMinPercent}, with at least {@code stepDays} of data after it, and confirmed by the fits of
 *       the summed spectra before and after it, a new epoch starts at that boundary (backdated to where the
 *       step happened): the window keeps the intervals from it on, and their fit is applied
 *       ({@link CalibrationStatus#STEP}), instead of averaging across the step;</li>
 *   <li>otherwise fits the whole window and applies the result ({@link CalibrationStatus#CALIBRATED});</li>
 *   <li>with too few counts or failed fits the current calibration stays and the result says why.</li>
 * </ol>
 * A fit finds the lines by their pattern ({@link PatternSearch}), fits each ({@link PeakFitter}) and the
 * scale and resolution through them. Deterministic; not thread-safe (one owner thread).
 *
 * <p>Size: one channel's calibration state (window, epochs, step scan, last good result, its saved form) and the
 * three steps above that share it; the line search, the line fits and the scale and resolution fits are their own
 * classes.
 */
public final class ChannelCalibrator {
  /**
   * The summed spectra before and after a candidate step must differ by more than this many combined standard
   * errors (and the same way): a check against a misfit interval, not a second trial at {@code stepSigmas}.
   */
  private static final double CONFIRM_SIGMAS = 3;
  /** An interval's own gain this many of its errors from the mean of its segment is left out of the step scan. */
  private static final double CLIP_SIGMAS = 4;
  private final CalibrationConfig config;
  private final double[] linesKeV;
  private final int adcLength;
  private final long windowNs;
  private final long stepNs;
  private final PeakFitter fitter = new PeakFitter();
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private EnergyScale scale;
  /** The resolution curve of the last applied calibration (reported; not used to find or fit the lines). */
  private ResolutionCurve resolution;
  /** The detector's configured resolution: the expected widths of the lines' search, fits and quality gates. */
  private final ResolutionCurve prior;
  /** Whether a calibration has been applied (the pattern search narrows from then on). */
  private boolean applied;

  /** One interval: its counts, and the gain its own spectrum gave (NaN, NaN when it gave none). */
  private record Chunk(long startNs, long endNs, long[] counts, double gain, double gainErr) {}

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

  // --- state capture and restore (checkpoints and restarts; docs/journal-and-replay.md "Calibration state") ---

  /**
   * One interval of the window as {@link #state()} gives it: its data-time span, its counts per ADC value
   * (length {@link #adcLength}; shared, never modified) and the gain its own fit gave (NaN, NaN: none).
   */
  public record WindowInterval(long startNs, long endNs, long[] counts, double gain, double gainErr) {}

  /**
   * Everything that decides this calibrator's further results: the window of the current epoch (the intervals'
   * spectra and their own gain fits, which the step scan uses), the scale and resolution in force (the last
   * good calibration) and whether one was applied (the pattern search narrows from then on). Immutable.
   */
  public record State(List<WindowInterval> window, EnergyScale scale, ResolutionCurve resolution, boolean applied) {
    public State {
      window = List.copyOf(window);
    }
  }

  /** The state after the last interval; a calibrator given it by {@link #restore} continues exactly as this one. */
  public State state() {
    List<WindowInterval> w = new ArrayList<>(chunks.size());
    for (Chunk c : chunks) {
      w.add(new WindowInterval(c.startNs, c.endNs, c.counts, c.gain, c.gainErr));
    }
    return new State(w, scale, resolution, applied);
  }

  /**
   * Replaces this calibrator's state (one of the same configuration: lines and {@link #adcLength}).
   *
   * @throws IllegalArgumentException if an interval's spectrum has another length (names it)
   */
  public void restore(State s) {
    chunks.clear();
    for (WindowInterval w : s.window()) {
      if (w.counts().length != adcLength) {
        throw new IllegalArgumentException("calibration state: an interval of " + w.counts().length
            + " ADC values, this channel's spectrum has " + adcLength);
      }
      chunks.addLast(new Chunk(w.startNs(), w.endNs(), w.counts(), w.gain(), w.gainErr()));
    }
    scale = s.scale();
    resolution = s.resolution();
    applied = s.applied();
  }

  /** Data time the window ends at, ns (Long.MIN_VALUE when empty). */
  public long windowEndNs() {
    return chunks.isEmpty() ? Long.MIN_VALUE : chunks.peekLast().endNs;
  }

  /** How many ADC values the channel's interval spectra have. */
  public int spectrumLength() {
    return adcLength;
  }

  /** The lines this calibrator fits, keV (a copy). */
  public double[] linesKeV() {
    return linesKeV.clone();
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
    long[] own = Arrays.copyOf(counts, adcLength);
    // The interval alone, for the step scan (no precision gate: its error says how much it counts).
    Attempt alone = attempt(own, Double.POSITIVE_INFINITY, narrowSearchFraction());
    chunks.addLast(new Chunk(startNs, endNs, own, alone.ok() ? alone.scale.gainKeVPerAdc() : Double.NaN,
        alone.ok() ? alone.scale.gainErrKeVPerAdc() : Double.NaN));
    while (!chunks.isEmpty() && chunks.peekFirst().endNs <= endNs - windowNs) {
      chunks.removeFirst();
    }
    EnergyScale before = scale;
    Step step = findStep(endNs);
    if (step != null) {
      while (chunks.peekFirst().startNs < step.fromNs) {
        chunks.removeFirst();
      }
      return apply(CalibrationStatus.STEP, step.after, endNs, before, String.format(Locale.ROOT,
          "gain step of %+.3f %% (%.1f standard errors) %.2f days ago, confirmed by the data since: new epoch from then",
          100 * (step.after.scale.gainKeVPerAdc() / step.before.scale.gainKeVPerAdc() - 1), step.sigmas,
          (endNs - step.fromNs) / 86_400e9));
    }
    Attempt w = orderTwo(attempt(sum(Long.MIN_VALUE, Long.MAX_VALUE), config.maxGainErrPercent(),
        applied ? narrowSearchFraction() : config.searchPercent() / 100));
    if (w.ok()) {
      return apply(CalibrationStatus.CALIBRATED, w, endNs, before, String.format(Locale.ROOT,
          "%d lines, gain %+.4f %% from the previous calibration", w.lines.size(),
          100 * (w.scale.gainKeVPerAdc() / before.gainKeVPerAdc() - 1)) + (w.message.isEmpty() ? "" : "; " + w.message));
    }
    return new Calibration(w.status, endNs, windowStartNs(), scale, resolution, w.lines, 0,
        w.message + ": the last good calibration stays" + w.rejected);
  }

  /**
   * The pattern search spans ±{@code searchPercent} (3 %) only until the first calibration is applied; from
   * then on, and always for the fits of the step test, half of it (±1.5 %): GEMMA-I's K lines are nearly
   * evenly spaced, and a wide search takes the pattern shifted by part of a line spacing when the lines are
   * weak (single days of lines ×10 came out 2–6 % off, 30-day windows failed). A jump of the gain beyond this
   * is not followed: the fits fail and say so ({@code fit-failed}, alert NudaqCalibrationFailing).
   */
  private double narrowSearchFraction() {
    return config.searchPercent() / 200;
  }

  /** A confirmed gain step: where the new epoch starts, and the fits of the data before and after it. */
  private record Step(long fromNs, double sigmas, Attempt before, Attempt after) {}

  /**
   * The change-point scan over the intervals' own gain fits in the current epoch: for every interval boundary
   * b with at least {@code stepDays} of data before it and two fitted intervals on both sides, each side's
   * outliers clipped ({@link Segment}), the step Δ at b on top of one linear drift ({@link #stepOnTrend}) and
   * T_b = Δ/σ_Δ, the errors scaled up by √(χ²/ndf) when that exceeds 1 (fits whose errors understate their
   * scatter must not make steps; a fast drift must not either). The boundary with the largest |T_b| is a
   * candidate when |T_b| > {@code stepSigmas}, the step exceeds {@code stepMinPercent} and at least
   * {@code stepDays} of data follow it (waiting for them rather than taking a later boundary keeps the new
   * epoch free of pre-step data); it is confirmed by fitting the summed spectra before and after it, which
   * must differ the same way by more than {@link #CONFIRM_SIGMAS} and {@code stepMinPercent} and each agree
   * with its intervals' mean (a misfit interval or a misfit sum cannot make a step). Null when there is no
   * confirmed step. Cost: arithmetic over the window per boundary (a 3×3 least squares); two fits per candidate.
   */
  private Step findStep(long endNs) {
    Chunk[] c = chunks.toArray(new Chunk[0]);
    int n = c.length;
    int best = -1;
    double bestT = 0;
    double bestRatio = 1;
    Segment bestBefore = null;
    Segment bestAfter = null;
    double bestInflate = 1;
    for (int b = 1; b < n; b++) {
      if (c[b].startNs - c[0].startNs < stepNs) {
        continue;
      }
      // Robust means first; then points far from both are left out, but a point near the other side's mean
      // (a pre-step interval on the wrong side of a candidate boundary) stays and counts against that boundary.
      Segment before = Segment.of(c, 0, b, Double.NaN);
      Segment after = Segment.of(c, b, n, Double.NaN);
      double robustBefore = before.mean;
      before = Segment.of(c, 0, b, after.mean);
      after = Segment.of(c, b, n, robustBefore);
      if (before.kept < 2 || after.kept < 2) {
        continue;
      }
      double[] fit = stepOnTrend(c, b, before, after);
      if (fit == null) {
        continue;
      }
      double t = fit[0];
      if (Math.abs(t) > Math.abs(bestT)) {
        bestT = t;
        best = b;
        bestRatio = fit[1];
        bestBefore = before;
        bestAfter = after;
        bestInflate = fit[2];
      }
    }
    // The most likely boundary must have stepDays of data after it: the intervals that follow confirm the step.
    if (best < 0 || Math.abs(bestT) <= config.stepSigmas() || Math.abs(bestRatio - 1) <= config.stepMinPercent() / 100
        || endNs - c[best].startNs < stepNs) {
      return null;
    }
    long fromNs = c[best].startNs;
    Attempt before = attempt(sum(Long.MIN_VALUE, fromNs), Double.POSITIVE_INFINITY, narrowSearchFraction());
    Attempt after = attempt(sum(fromNs, Long.MAX_VALUE), Double.POSITIVE_INFINITY, narrowSearchFraction());
    if (!before.ok() || !after.ok()) {
      return null;
    }
    double gb = before.scale.gainKeVPerAdc();
    double ga = after.scale.gainKeVPerAdc();
    double sigmas = (ga - gb) / Math.hypot(before.scale.gainErrKeVPerAdc(), after.scale.gainErrKeVPerAdc());
    if (Math.abs(sigmas) <= CONFIRM_SIGMAS || Math.signum(sigmas) != Math.signum(bestT)
        || Math.abs(ga / gb - 1) <= config.stepMinPercent() / 100
        || !agrees(after.scale, bestAfter, bestInflate) || !agrees(before.scale, bestBefore, bestInflate)) {
      return null;
    }
    return new Step(fromNs, Math.abs(sigmas), before, after);
  }

  private Calibration apply(CalibrationStatus status, Attempt a, long endNs, EnergyScale before, String message) {
    double maxShift = scaleShiftKeV(before, a.scale, a.lines);
    scale = a.scale;
    resolution = a.resolution;
    applied = true;
    return new Calibration(status, endNs, windowStartNs(), scale, resolution, a.lines, maxShift, message
        + String.format(Locale.ROOT, "; the new scale moves the lines by up to %+.3f keV", maxShift) + a.rejected);
  }

  /**
   * How far the new energy scale moves the fitted lines compared with the scale in force before it (the channel's
   * configured one before the first calibration): for each fitted line of energy E, {@code before.energyKeV(
   * after.adc(E)) − E}; the largest in magnitude, signed, keV ({@link Calibration#maxShiftKeV}, the metric
   * nudaq_calibration_shift_kev). From the scales, whose error is the gain's (a few 0.01 keV at 10 keV), not from
   * one line's fitted position: a weak line's scatters by tenths of a keV (Cr K 5.99 keV fitted ±0.08 keV moved
   * 0.169 keV where the scale moved 0.015 keV at 10.37 keV) and would raise NudaqCalibrationDrift on a healthy
   * detector.
   */
  static double scaleShiftKeV(EnergyScale before, EnergyScale after, List<LineFit> lines) {
    double largest = 0;
    for (LineFit l : lines) {
      double e = l.energyKeV();
      double shift = before.energyKeV(after.adc(e)) - e;
      if (Math.abs(shift) > Math.abs(largest)) {
        largest = shift;
      }
    }
    return largest;
  }

  /**
   * The step at boundary b on top of a linear drift: the weighted least-squares fit of the kept intervals' gains
   * g(t) = a + s·(t − t_b) + Δ·[t ≥ t_b] (one drift for both sides: a slow trend is no step). Returns
   * {Δ/σ_Δ, (a + Δ)/a, the error inflation √(χ²/ndf)² ≥ 1}, or null when it cannot be made.
   */
  private static double[] stepOnTrend(Chunk[] c, int b, Segment before, Segment after) {
    double tb = c[b].startNs;
    double[][] normal = new double[3][3];
    double[] rhs = new double[3];
    int kept = 0;
    for (int i = 0; i < c.length; i++) {
      Segment seg = i < b ? before : after;
      if (!seg.keeps(i)) {
        continue;
      }
      double w = 1 / (c[i].gainErr * c[i].gainErr);
      double[] x = {1, (0.5 * (c[i].startNs + c[i].endNs) - tb) / 86_400e9, i < b ? 0 : 1};
      for (int r = 0; r < 3; r++) {
        rhs[r] += w * x[r] * c[i].gain;
        for (int q = 0; q < 3; q++) {
          normal[r][q] += w * x[r] * x[q];
        }
      }
      kept++;
    }
    if (kept < 4) {
      return null;
    }
    org.hipparchus.linear.DecompositionSolver solver =
        new org.hipparchus.linear.LUDecomposition(org.hipparchus.linear.MatrixUtils.createRealMatrix(normal)).getSolver();
    if (!solver.isNonSingular()) {
      return null;
    }
    double[] p = solver.solve(org.hipparchus.linear.MatrixUtils.createRealVector(rhs)).toArray();
    double chi2 = 0;
    for (int i = 0; i < c.length; i++) {
      Segment seg = i < b ? before : after;
      if (seg.keeps(i)) {
        double t = (0.5 * (c[i].startNs + c[i].endNs) - tb) / 86_400e9;
        double r = (c[i].gain - p[0] - p[1] * t - (i < b ? 0 : p[2])) / c[i].gainErr;
        chi2 += r * r;
      }
    }
    double inflate = kept > 3 ? Math.max(1, chi2 / (kept - 3)) : 1;
    double varStep = solver.getInverse().getEntry(2, 2) * inflate;
    return new double[] {p[2] / Math.sqrt(varStep), (p[0] + p[2]) / p[0], inflate};
  }

  /**
   * Whether a summed spectrum's gain agrees with the mean of its intervals' own gains: within 3 combined errors
   * plus half of {@code stepMinPercent} (the two weigh the slow drift inside a segment differently; a misfit sum
   * is off by percents).
   */
  private boolean agrees(EnergyScale summed, Segment daily, double inflate) {
    return Math.abs(summed.gainKeVPerAdc() - daily.mean) < CONFIRM_SIGMAS * Math.sqrt(summed.gainErrKeVPerAdc()
        * summed.gainErrKeVPerAdc() + inflate / daily.weight) + config.stepMinPercent() / 200 * daily.mean;
  }

  /**
   * The weighted mean of the intervals' own gains in c[from, to), those further than {@link #CLIP_SIGMAS} of
   * their errors from the mean of the rest dropped one at a time, unless within that of {@code keepNear} (NaN:
   * none): an interval's lone fit can lock onto the wrong line, a gain off by percents with a small error;
   * the step's own intervals agree with each other and stay.
   */
  private record Segment(double mean, double weight, double chi2, int kept, int from, boolean[] dropped) {
    /** Whether interval i (an index into the whole window) has a fit and was kept. */
    boolean keeps(int i) {
      return i >= from && i - from < dropped.length && !dropped[i - from];
    }

    static Segment of(Chunk[] c, int from, int to, double keepNear) {
      boolean[] dropped = new boolean[to - from];
      for (int i = from; i < to; i++) {
        dropped[i - from] = !(c[i].gainErr > 0);
      }
      while (true) {
        double w = 0;
        double wg = 0;
        int kept = 0;
        for (int i = from; i < to; i++) {
          if (!dropped[i - from]) {
            double wi = 1 / (c[i].gainErr * c[i].gainErr);
            w += wi;
            wg += wi * c[i].gain;
            kept++;
          }
        }
        if (kept == 0) {
          return new Segment(Double.NaN, 0, 0, 0, from, dropped);
        }
        double mean = wg / w;
        double chi2 = 0;
        int worst = -1;
        double worstZ = CLIP_SIGMAS;
        for (int i = from; i < to; i++) {
          if (!dropped[i - from]) {
            double z = Math.abs(c[i].gain - mean) / c[i].gainErr;
            chi2 += z * z;
            boolean nearOther = Math.abs(c[i].gain - keepNear) <= CLIP_SIGMAS * c[i].gainErr;
            if (z > worstZ && !nearOther) {
              worstZ = z;
              worst = i;
            }
          }
        }
        if (worst < 0 || kept <= 2) {
          return new Segment(mean, w, chi2, kept, from, dropped);
        }
        dropped[worst - from] = true;
      }
    }
  }

  /** The window's counts of the intervals starting in [fromNs, toNs). */
  private long[] sum(long fromNs, long toNs) {
    long[] s = new long[adcLength];
    for (Chunk c : chunks) {
      if (c.startNs >= fromNs && c.startNs < toNs) {
        for (int i = 0; i < adcLength; i++) {
          s[i] += c.counts[i];
        }
      }
    }
    return s;
  }

  /** One fit's outcome; {@code rejected}: the lines whose fits were refused and why ("" or "; not fitted: …"). */
  record Attempt(CalibrationStatus status, EnergyScale scale, ResolutionCurve resolution, List<LineFit> lines,
      String message, String rejected) {
    boolean ok() {
      return status.applied();
    }
  }

  /**
   * Finds and fits the lines in a spectrum, from the energy scale in force, with the widths of the detector's
   * configured resolution ({@code prior}: the pattern's filter, each fit's start and range, and the quality gates'
   * expected σ). Not the curve the last calibration fitted: that curve comes from the same fits, and a window fit
   * too narrow (one misidentified 6 h fit in CalibrationRestartTest's run gave FWHM 0.58 keV for a true 1.01)
   * shortened the fit ranges and made the true lines 2 × the "expected" width, which the gates refused, so the
   * curve was never refitted and no calibration was made again. The fitted curve is the calibration's output
   * (reported, the line masks, the energy-scale nuisance). Every line found is fitted and
   * reported, but the scale and the resolution curve come from lines whose fits use disjoint data (their fit
   * ranges do not overlap; the most precise first): the fits of the members of a blend (Ga K / Zn K / Cu K)
   * each fit the same counts with the others tied, so counting them as independent points would claim the
   * blend's information several times and understate the gain's error (by about √3 for GEMMA-I).
   *
   * @param maxGainErrPercent  a gain less certain than this is refused (too few counts)
   * @param searchFraction     the pattern search spans the current gain ± this fraction
   */
  Attempt attempt(long[] counts, double maxGainErrPercent, double searchFraction) {
    double[] sigmas = new double[linesKeV.length];
    for (int i = 0; i < linesKeV.length; i++) {
      sigmas[i] = prior.sigmaKeV(resolutionEnergyKeV(linesKeV[i]));
    }
    double k = PatternSearch.bestGainFactor(counts, linesKeV, sigmas, scale.offsetKeV(), scale.gainKeVPerAdc(),
        searchFraction);
    // Two passes. The pattern places a blend's lines only roughly (at GEMMA-I's 1 keV FWHM the filter's negative
    // lobes fall on the Ga K / Zn K neighbours: k comes out up to ~1 σ off), so the first pass lets each line's
    // position move up to 1.5 σ and gives the scale (from its most precise independent fits); the second fits
    // every line again where that scale puts it and keeps only positions within 0.5 σ of it (a fit that slid
    // onto a neighbour does not pass).
    Fits first = fitLines(counts, sigmas, scale.offsetKeV(), scale.gainKeVPerAdc() * k, 1.5);
    List<LineFit> firstIndependent = independent(first.fits, first.spans);
    Fits fits = first;
    if (!firstIndependent.isEmpty()) {
      EnergyScale s1 = EnergyScaleFit.fit(firstIndependent, config.terms(), scale.offsetKeV());
      if (s1.gainKeVPerAdc() > 0) {
        fits = fitLines(counts, sigmas, s1.offsetKeV(), s1.gainKeVPerAdc(), 0.5);
      }
    }
    List<LineFit> ok = fits.fits;
    List<double[]> spans = fits.spans;
    int tooFew = fits.tooFew;
    String rejected = fits.rejected.isEmpty() ? "" : "; not fitted: " + String.join(", ", fits.rejected);
    List<LineFit> independent = independent(ok, spans);
    if (ok.size() < config.minLines() || independent.size() < config.minLines()) {
      boolean starved = tooFew + fits.notSignificant >= linesKeV.length - ok.size();
      return new Attempt(starved ? CalibrationStatus.TOO_FEW_COUNTS : CalibrationStatus.FIT_FAILED, scale, resolution, ok,
          String.format(Locale.ROOT, "%d of %d lines fitted (%d with too few counts, %d refused, %d fitted from disjoint "
              + "data), %d needed", ok.size(), linesKeV.length, tooFew, fits.rejected.size(), independent.size(),
              config.minLines()), rejected);
    }
    EnergyScale s = EnergyScaleFit.fit(independent, config.terms(), scale.offsetKeV());
    EnergyScale agreement = agreementScale(independent, s); // terms: quadratic: a curved scale is no disagreement
    if (!(s.gainKeVPerAdc() > 0) || Math.abs(s.gainKeVPerAdc() / scale.gainKeVPerAdc() - 1) > 2 * config.searchPercent() / 100
        || (agreement.ndf() > 0 && agreement.chi2() / agreement.ndf() > 25)) {
      return new Attempt(CalibrationStatus.FIT_FAILED, scale, resolution, ok, String.format(Locale.ROOT,
          "the %d fitted lines disagree (χ²/ndf = %.1f/%d)", independent.size(), s.chi2(), s.ndf()), rejected);
    }
    double errPercent = 100 * s.gainErrKeVPerAdc() / s.gainKeVPerAdc();
    if (errPercent > maxGainErrPercent) {
      return new Attempt(CalibrationStatus.TOO_FEW_COUNTS, scale, resolution, ok, String.format(Locale.ROOT,
          "too few counts: gain uncertain by ±%.2f %% (maxGainErrPercent %.2f %%)", errPercent, maxGainErrPercent),
          rejected);
    }
    lastIndependent = independent; // for orderTwo
    return new Attempt(CalibrationStatus.CALIBRATED, s, ResolutionCurve.fit(forResolution(independent), s.gainKeVPerAdc(),
        prior), ok, "", rejected);
  }

  /**
   * Where a line sits on the resolution curve: a pulser's signal is injected into the preamplifier, no charge is
   * created in the crystal, so only the electronic noise widens it (no Fano term): its FWHM² is the curve's noise
   * term, i.e. the curve's value at E = 0; every other line at its energy. Taken at its own energy the pulser
   * pulled the fitted curve's slope down (negative with a 60 keV pulser) and the FWHM reported at 10.37 keV to
   * 0.67–0.97 keV for a true 1.01 keV; and a curve fitted without it would give the pulser the wrong width.
   */
  private double resolutionEnergyKeV(double lineKeV) {
    return config.pulserKeV() > 0 && lineKeV == config.pulserKeV() ? 0 : lineKeV;
  }

  /** The lines as the resolution curve takes them: the pulser at E = 0 ({@link #resolutionEnergyKeV}). */
  private List<LineFit> forResolution(List<LineFit> lines) {
    List<LineFit> out = new ArrayList<>(lines.size());
    for (LineFit l : lines) {
      double e = resolutionEnergyKeV(l.energyKeV());
      out.add(e == l.energyKeV() ? l : new LineFit(e, l.positionAdc(), l.positionErrAdc(), l.sigmaAdc(), l.sigmaErrAdc(),
          l.netCounts(), l.netCountsErr(), l.chi2(), l.ndf()));
    }
    return out;
  }

  // --- the configured polynomial order (calibration.terms: quadratic) --------------------------------------------

  /** The scale whose χ² says whether the lines agree: the order-2 one when configured and possible, else {@code s}. */
  private EnergyScale agreementScale(List<LineFit> independent, EnergyScale s) {
    EnergyScale q = config.terms() == CalibrationConfig.Terms.QUADRATIC && s.gainKeVPerAdc() > 0
        ? QuadraticScaleFit.fit(independent, s.gainKeVPerAdc()) : null;
    return q == null ? s : q;
  }

  /** The lines fitted on disjoint data in the last successful {@link #attempt} (what {@link #orderTwo} fits). */
  private List<LineFit> lastIndependent = List.of();

  /**
   * With {@code terms: quadratic}, a successful window fit (the attempt just made) gets the order-2 scale through
   * its lines fitted on disjoint data ({@link QuadraticScaleFit}) when they are enough, else keeps its linear
   * scale and says why. Only the window's fit: the step scan compares the intervals' linear gains, and a step's
   * new epoch is linear until the next window fit. The resolution curve stays the linear fit's.
   */
  private Attempt orderTwo(Attempt a) {
    if (config.terms() != CalibrationConfig.Terms.QUADRATIC || !a.ok()) {
      return a;
    }
    EnergyScale q = QuadraticScaleFit.fit(lastIndependent, a.scale.gainKeVPerAdc());
    if (q == null) {
      double lo = lastIndependent.stream().mapToDouble(LineFit::energyKeV).min().orElse(0);
      double hi = lastIndependent.stream().mapToDouble(LineFit::energyKeV).max().orElse(0);
      return new Attempt(a.status, a.scale, a.resolution, a.lines, String.format(Locale.ROOT,
          "linear: %d lines fitted from disjoint data span %.2f keV, a quadratic scale needs %d spanning %.0f keV",
          lastIndependent.size(), hi - lo, QuadraticScaleFit.MIN_LINES, QuadraticScaleFit.MIN_SPAN_KEV), a.rejected);
    }
    return new Attempt(a.status, q, a.resolution, a.lines, String.format(Locale.ROOT,
        "quadratic through %d lines: %.4g keV/ADC² ± %.2g", lastIndependent.size(), q.quadraticKeVPerAdc2(),
        q.quadraticErrKeVPerAdc2()), a.rejected);
  }

  /**
   * The lines fitted in one pass: the fits, their fit ranges (ADC), how many had too few counts, and the fits
   * refused by {@link PeakFitter}'s quality gates, as "5.47 keV (width outside 0.5–2.0 expected σ)", of which
   * notSignificant had counts not above the background's fluctuation (for the status: too few counts).
   */
  private record Fits(List<LineFit> fits, List<double[]> spans, int tooFew, int notSignificant, List<String> rejected) {}

  /** Fits every line where {@code offset + gain · adc} puts it, neighbours tied; positions within maxShift σ. */
  private Fits fitLines(long[] counts, double[] sigmas, double offsetKeV, double gain, double maxShiftSigmas) {
    List<LineFit> ok = new ArrayList<>();
    List<double[]> spans = new ArrayList<>();
    int tooFew = 0;
    int notSignificant = 0;
    List<String> rejected = new ArrayList<>();
    for (int i = 0; i < linesKeV.length; i++) {
      double center = (linesKeV[i] - offsetKeV) / gain;
      double[] offsets = new double[linesKeV.length - 1];
      for (int j = 0, n = 0; j < linesKeV.length; j++) {
        if (j != i) {
          offsets[n++] = (linesKeV[j] - linesKeV[i]) / gain;
        }
      }
      PeakFitter.Result r = fitter.fit(counts, linesKeV[i], center, sigmas[i] / gain, offsets, config.minLineCounts(),
          maxShiftSigmas);
      if (r.fit() != null) {
        ok.add(r.fit());
        spans.add(PeakFitter.windowAdc(center, sigmas[i] / gain, offsets));
      } else if (r.failure() == PeakFitter.Failure.TOO_FEW_COUNTS) {
        tooFew++;
      } else if (r.failure() != PeakFitter.Failure.NOT_CONVERGED) {
        notSignificant += r.failure() == PeakFitter.Failure.NOT_SIGNIFICANT ? 1 : 0;
        rejected.add(String.format(Locale.ROOT, "%.2f keV (%s)", linesKeV[i], r.failure().reason()));
      }
    }
    return new Fits(ok, spans, tooFew, notSignificant, rejected);
  }

  /** The fits, most precise (relative position error) first, whose fit ranges overlap none taken before. */
  private static List<LineFit> independent(List<LineFit> fits, List<double[]> spans) {
    Integer[] order = new Integer[fits.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, java.util.Comparator.comparingDouble(i -> fits.get(i).positionErrAdc() / fits.get(i).positionAdc()));
    List<double[]> taken = new ArrayList<>();
    List<LineFit> out = new ArrayList<>();
    for (int i : order) {
      double[] span = spans.get(i);
      boolean overlaps = false;
      for (double[] t : taken) {
        overlaps |= span[0] < t[1] && t[0] < span[1];
      }
      if (!overlaps) {
        taken.add(span);
        out.add(fits.get(i));
      }
    }
    return out;
  }
}
