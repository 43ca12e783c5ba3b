package org.nudaq.monitor.calibration;

import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * Fits one line of a raw (ADC) spectrum: a Gaussian with free position, width and content on a linear
 * background, plus known neighbouring lines closer than 4 σ, and those whose tails reach into the window
 * (each with its own content, the same width, and its position tied to the main line's by the current
 * energy scale: a blend such as Ga K 10.37 / Zn K 9.66 keV at GEMMA-I's 1 keV FWHM). Binned Poisson maximum likelihood by Fisher scoring with
 * Levenberg damping; errors from the inverse Fisher information. A fit that converged but hardly says anything
 * (width far from the expected one, counts not above the background, position unknown within the line's width) is
 * no line: refused with the reason ({@link Failure}). Optionally the width and the neighbours'
 * contents relative to the line are constrained by Gaussian terms ({@link Constraints}; the online calibration
 * fits with none). Pure Java; stateless, thread-safe.
 *
 * <p>Size: the model, its derivatives, the Fisher-scoring loop, the constraints and the quality gates of one fit
 * share one parameter layout (line, width, background, neighbours); apart, each would re-derive it.
 */
public final class PeakFitter {
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
  private static final int MAX_ITERATIONS = 200;

  /** Why a fit gave no line. */
  public enum Failure {
    /** The window holds too few counts or the line too few net counts. */
    TOO_FEW_COUNTS,
    /** The likelihood did not converge, or the position slid further than allowed from where it was expected. */
    NOT_CONVERGED,
    /** The fitted width is outside [{@link #MIN_WIDTH}, {@link #MAX_WIDTH}] expected σ. */
    WIDTH_IMPLAUSIBLE,
    /**
     * The net counts are below {@link #MIN_SIGNIFICANCE} of their errors (the neighbours' contents held): no line
     * above the background.
     */
    NOT_SIGNIFICANT,
    /** The position's error exceeds {@link #MAX_POSITION_ERR} expected σ: the fit does not say where the line is. */
    POSITION_UNCERTAIN;

    /** Why, in words, for a report ("width outside 0.5–2.0 expected σ"). */
    public String reason() {
      return switch (this) {
        case TOO_FEW_COUNTS -> "too few counts";
        case NOT_CONVERGED -> "fit did not converge near the expected position";
        case WIDTH_IMPLAUSIBLE -> "width outside " + MIN_WIDTH + "–" + MAX_WIDTH + " expected σ";
        case NOT_SIGNIFICANT -> "net counts below " + MIN_SIGNIFICANCE + " of their errors";
        case POSITION_UNCERTAIN -> "position error above " + MAX_POSITION_ERR + " expected σ";
      };
    }
  }

  /*
   * The quality gates: a fit that converged but says next to nothing is no fitted line (it used to appear in the
   * report and the metrics as one: V K 5.47 keV, where the simulator has no line, "fitted" with σ 189 ADC for
   * 85 expected, its position ± 620 ADC and its counts ± 4.9e6). Toys (a scratch program; the fast versions are
   * in PeakFitterTest): a line of 100 counts
   * (minLineCounts) of σ 85 ADC on 0.1 / 0.2 / 0.3 counts per ADC of flat background, 3000 spectra each, the fits
   * that pass minNetCounts: 0.3 / 1.5 / 4 % rejected, all of them fits whose width wandered to 1.6–2 × expected
   * with their counts' error above half the counts (at a signal-to-background near 1 the window of ±4 expected σ
   * cannot tell a wide Gaussian from the background); pure background (no line) on 1–30 counts per ADC: 0.7–11 %
   * of the spectra reached a fit, and 95–100 % of those are rejected (docs/analysis.md "Fits refused").
   */
  /**
   * Narrowest width accepted, in expected σ. Genuine fits at 100 counts: σ/σ_expected 0.68–1.46 (0.5 and 99.5 %
   * quantiles) on 0.05 counts per ADC of background, down to 0.41 on 0.3; only a spike on a fluctuation is that
   * narrow. The online calibration passes the detector's configured resolution as the expected σ (not the curve
   * its last calibration fitted: see ChannelCalibrator#attempt).
   */
  static final double MIN_WIDTH = 0.5;
  /**
   * Widest width accepted, in expected σ: 2 (σ 189 for 85 ADC is 2.2). Genuine fits at 100 counts stay below 1.5
   * on little background; wider is a Gaussian filling the fit window (±4 expected σ), traded against the
   * background. The online calibration's expected σ is the configured resolution: a detector whose resolution
   * has become twice the configured one is not calibrated (the fits say why) until its configuration is updated.
   */
  static final double MAX_WIDTH = 2;
  /**
   * The net counts must be at least this many of their errors (a 2 σ line): a line of 100 counts on little
   * background is 5–10 of its errors; below 2 the fit cannot tell the line from the background. The error here
   * is the content's with the neighbours' contents held at their fitted values ({@code countsErrGivenNeighbours}):
   * the question is whether the line stands above the background, not how a blend's counts are shared. With the
   * neighbours free, Ga K's error in GEMMA-I's Ga K / Zn K blend (0.71 keV apart at 1 keV FWHM, every other K
   * line a tied neighbour) is 7–8 × √N, and real Ga K lines of 400–1300 counts (CalibrationRestartTest's windows)
   * were refused as "not significant" (PeakFitterTest#aBlendedLineIsNotRefusedForHowItsCountsAreShared).
   */
  static final double MIN_SIGNIFICANCE = 2;
  /**
   * Largest position error accepted, in expected σ: a line of N counts has σ/√N without background (0.1 σ
   * at 100 counts; 0.2–0.7 σ for the genuine fits on 0.05–0.3 counts per ADC). Beyond one σ the fit does not
   * locate the line within its own width, and its weight in the scale would be nil anyway.
   */
  static final double MAX_POSITION_ERR = 1;

  /**
   * The fit, or why there is none. Exactly one of {@code fit} and {@code failure} is set. With a fit, the
   * neighbours' fitted contents (counts) and their errors, in the order the neighbours were passed (NaN for a
   * neighbour too far away to be modelled); empty arrays without a fit.
   */
  public record Result(LineFit fit, Failure failure, double[] neighbourCounts, double[] neighbourCountErrs) {
    public Result(LineFit fit, Failure failure) {
      this(fit, failure, new double[0], new double[0]);
    }
  }

  /**
   * What a fit takes as known besides the spectrum, as Gaussian terms added to the log likelihood (and their
   * information to the Fisher matrix, so the errors include them). For spectra of a few hundred line counts,
   * where with the width and the neighbours' contents free the fit now and then converges to a narrow spike on
   * a fluctuation, to a blend twice as wide, or trades the line's position against a neighbour's content (the
   * Ga K / Zn K blend at GEMMA-I's resolution), while the resolution and the lines' relative intensities are
   * known from more data (a calibration window, the whole run's summed spectrum). Immutable (the arrays are
   * copied in and out).
   *
   * @param sigmaRelative       the width σ ~ N(expected σ, (sigmaRelative · expected σ)²); infinite: σ free
   * @param neighbourRatios     per neighbour, in the order passed: its content over the line's, NaN: free
   * @param neighbourRatioErrs  the standard deviations of those ratios
   */
  public record Constraints(double sigmaRelative, double[] neighbourRatios, double[] neighbourRatioErrs) {
    /** Width and neighbours free. */
    public static final Constraints NONE = new Constraints(Double.POSITIVE_INFINITY, new double[0], new double[0]);

    public Constraints {
      if (neighbourRatios.length != neighbourRatioErrs.length) {
        throw new IllegalArgumentException("one error per neighbour ratio");
      }
      for (int j = 0; j < neighbourRatios.length; j++) {
        if (!Double.isNaN(neighbourRatios[j]) && !(neighbourRatioErrs[j] > 0)) {
          throw new IllegalArgumentException("neighbour ratio " + j + " needs a positive error, not " + neighbourRatioErrs[j]);
        }
      }
      if (!(sigmaRelative > 0)) {
        throw new IllegalArgumentException("the width's constraint must be positive, not " + sigmaRelative);
      }
      neighbourRatios = neighbourRatios.clone();
      neighbourRatioErrs = neighbourRatioErrs.clone();
    }

    @Override
    public double[] neighbourRatios() {
      return neighbourRatios.clone();
    }

    @Override
    public double[] neighbourRatioErrs() {
      return neighbourRatioErrs.clone();
    }

    /** Only the width constrained (relative standard deviation). */
    public static Constraints width(double sigmaRelative) {
      return new Constraints(sigmaRelative, new double[0], new double[0]);
    }

    double ratio(int neighbour) {
      return neighbour < neighbourRatios.length ? neighbourRatios[neighbour] : Double.NaN;
    }

    double ratioErr(int neighbour) {
      return neighbourRatioErrs[neighbour];
    }
  }

  /**
   * @param counts           spectrum, counts per ADC channel (index = ADC value)
   * @param energyKeV        the line's known energy (copied into the result)
   * @param centerAdc        where the line is expected, ADC
   * @param sigmaAdc         its expected σ, ADC
   * @param neighbourOffsetsAdc  positions of neighbouring lines relative to this one, ADC (may be empty)
   * @param minNetCounts     the line needs at least this many net counts
   */
  public Result fit(long[] counts, double energyKeV, double centerAdc, double sigmaAdc, double[] neighbourOffsetsAdc,
      double minNetCounts) {
    return fit(counts, energyKeV, centerAdc, sigmaAdc, neighbourOffsetsAdc, minNetCounts, 1.5);
  }

  /**
   * As {@link #fit(long[], double, double, double, double[], double)}, the fitted position allowed at most
   * {@code maxShiftSigmas} expected σ from {@code centerAdc} (1.5 there).
   */
  public Result fit(long[] counts, double energyKeV, double centerAdc, double sigmaAdc, double[] neighbourOffsetsAdc,
      double minNetCounts, double maxShiftSigmas) {
    return fit(counts, energyKeV, centerAdc, sigmaAdc, neighbourOffsetsAdc, minNetCounts, maxShiftSigmas,
        Constraints.NONE);
  }

  /**
   * As {@link #fit(long[], double, double, double, double[], double, double)}, with the width and the
   * neighbours' contents constrained ({@link Constraints}; {@code sigmaAdc} is the width's expected value).
   */
  public Result fit(long[] counts, double energyKeV, double centerAdc, double sigmaAdc, double[] neighbourOffsetsAdc,
      double minNetCounts, double maxShiftSigmas, Constraints constraints) {
    double[] span = new double[2];
    int[] index = new int[neighbourOffsetsAdc.length];
    double[] offsets = components(centerAdc, sigmaAdc, neighbourOffsetsAdc, span, index);
    double lo = span[0];
    double hi = span[1];
    int width = Math.max(1, (int) Math.floor(sigmaAdc / 4));
    int first = (int) Math.floor(Math.max(0, lo));
    int bins = (int) Math.floor((Math.min(counts.length, hi) - first) / width);
    if (bins < 8) {
      return new Result(null, Failure.TOO_FEW_COUNTS);
    }
    double[] x = new double[bins];
    double[] y = new double[bins];
    double total = 0;
    for (int k = 0; k < bins; k++) {
      int a = first + k * width;
      long s = 0;
      for (int i = a; i < a + width; i++) {
        s += counts[i];
      }
      x[k] = a + 0.5 * (width - 1); // mean ADC value of the bin's channels
      y[k] = s;
      total += s;
    }
    if (total < minNetCounts || netEstimate(x, y, centerAdc, sigmaAdc) < 0.5 * minNetCounts) {
      return new Result(null, Failure.TOO_FEW_COUNTS);
    }
    double[] ratios = new double[offsets.length];
    double[] ratioErrs = new double[offsets.length];
    for (int j = 0; j < offsets.length; j++) {
      ratios[j] = constraints.ratio(index[j]);
      ratioErrs[j] = Double.isNaN(ratios[j]) ? Double.NaN : constraints.ratioErr(index[j]);
    }
    Model m = new Model(x, width, centerAdc, sigmaAdc, offsets, constraints.sigmaRelative() * sigmaAdc, ratios, ratioErrs);
    double[] theta = m.start(y, centerAdc, sigmaAdc);
    double[] errors = m.maximise(y, theta);
    if (errors == null) {
      return new Result(null, Failure.NOT_CONVERGED);
    }
    double p = theta[0];
    double s = theta[1];
    // The position must stay within maxShiftSigmas of where it was expected: further out the fit has slid onto
    // a neighbour (the tied components trading places), not found this line.
    if (!(Math.abs(p - centerAdc) < maxShiftSigmas * sigmaAdc)) {
      return new Result(null, Failure.NOT_CONVERGED);
    }
    if (theta[2] < minNetCounts) {
      return new Result(null, Failure.TOO_FEW_COUNTS);
    }
    if (!(s >= MIN_WIDTH * sigmaAdc && s <= MAX_WIDTH * sigmaAdc)) {
      return new Result(null, Failure.WIDTH_IMPLAUSIBLE);
    }
    if (!(theta[2] >= MIN_SIGNIFICANCE * m.countsErrGivenNeighbours(y, theta))) {
      return new Result(null, Failure.NOT_SIGNIFICANT);
    }
    if (!(errors[0] <= MAX_POSITION_ERR * sigmaAdc)) {
      return new Result(null, Failure.POSITION_UNCERTAIN);
    }
    double chi2 = 0;
    for (int k = 0; k < bins; k++) {
      double mu = m.mu(theta, k);
      chi2 += (y[k] - mu) * (y[k] - mu) / Math.max(mu, 1e-9);
    }
    double[] neighbours = new double[neighbourOffsetsAdc.length];
    double[] neighbourErrs = new double[neighbourOffsetsAdc.length];
    java.util.Arrays.fill(neighbours, Double.NaN);
    java.util.Arrays.fill(neighbourErrs, Double.NaN);
    for (int j = 0; j < offsets.length; j++) {
      neighbours[index[j]] = theta[3 + j];
      neighbourErrs[index[j]] = errors[3 + j];
    }
    return new Result(new LineFit(energyKeV, p, errors[0], s, errors[1], theta[2], errors[2], chi2, bins - theta.length),
        null, neighbours, neighbourErrs);
  }

  /**
   * The ADC range a fit of a line at {@code centerAdc} uses, {lo, hi} (the same as {@link #fit} takes its bins
   * from, before clipping to the spectrum): fits whose ranges do not overlap use disjoint data.
   */
  public static double[] windowAdc(double centerAdc, double sigmaAdc, double[] neighbourOffsetsAdc) {
    double[] span = new double[2];
    components(centerAdc, sigmaAdc, neighbourOffsetsAdc, span, new int[neighbourOffsetsAdc.length]);
    return span;
  }

  /**
   * The neighbours modelled with the line (offsets, ADC), and in {@code span} the fit range {lo, hi}: ±4σ around
   * the line, widened to ±3σ around neighbours closer than 4σ; neighbours just outside still reach into it with
   * their tails (Fe K 7.11 keV at the edge of the Ga K / Zn K / Cu K window at 1 keV FWHM) and are modelled too,
   * or the linear background tilts under them. {@code index[j]}: which of the neighbours passed is modelled j.
   */
  private static double[] components(double centerAdc, double sigmaAdc, double[] neighbourOffsetsAdc, double[] span,
      int[] index) {
    double lo = centerAdc - 4 * sigmaAdc;
    double hi = centerAdc + 4 * sigmaAdc;
    int nb = 0;
    double[] offsets = new double[neighbourOffsetsAdc.length];
    boolean[] used = new boolean[neighbourOffsetsAdc.length];
    for (int j = 0; j < neighbourOffsetsAdc.length; j++) {
      double d = neighbourOffsetsAdc[j];
      if (Math.abs(d) < 4 * sigmaAdc) {
        index[nb] = j;
        offsets[nb++] = d;
        used[j] = true;
        lo = Math.min(lo, centerAdc + d - 3 * sigmaAdc);
        hi = Math.max(hi, centerAdc + d + 3 * sigmaAdc);
      }
    }
    for (int j = 0; j < neighbourOffsetsAdc.length; j++) {
      double at = centerAdc + neighbourOffsetsAdc[j];
      if (!used[j] && at > lo - 3 * sigmaAdc && at < hi + 3 * sigmaAdc) {
        index[nb] = j;
        offsets[nb++] = neighbourOffsetsAdc[j];
      }
    }
    span[0] = lo;
    span[1] = hi;
    return java.util.Arrays.copyOf(offsets, nb);
  }

  /**
   * Counts within ±2σ of the centre minus the background there, estimated from the bins beyond ±3σ
   * (0 when there are no such bins): a quick check before fitting.
   */
  private static double netEstimate(double[] x, double[] y, double centerAdc, double sigmaAdc) {
    double peak = 0;
    double side = 0;
    int peakBins = 0;
    int sideBins = 0;
    for (int k = 0; k < x.length; k++) {
      double d = Math.abs(x[k] - centerAdc);
      if (d < 2 * sigmaAdc) {
        peak += y[k];
        peakBins++;
      } else if (d > 3 * sigmaAdc) {
        side += y[k];
        sideBins++;
      }
    }
    return sideBins == 0 ? peak : peak - side / sideBins * peakBins;
  }

  /** θ = [position, σ, content of the line, contents of the neighbours..., background level, background slope]. */
  private static final class Model {
    final double[] x;
    final double w;
    final double c;
    final double scale;
    final double[] offsets;
    final int np;
    /** The width's constraint: σ ~ N(scale, sigmaPriorErr²); infinite: none. */
    final double sigmaPriorErr;
    /** Neighbour j's content ~ N(ratios[j]·A, (ratioErrs[j]·A)²), A the line's content; NaN: free. */
    final double[] ratios;
    final double[] ratioErrs;

    Model(double[] x, double w, double c, double scale, double[] offsets, double sigmaPriorErr, double[] ratios,
        double[] ratioErrs) {
      this.x = x;
      this.w = w;
      this.c = c;
      this.scale = scale;
      this.offsets = offsets;
      this.np = 5 + offsets.length;
      this.sigmaPriorErr = sigmaPriorErr;
      this.ratios = ratios;
      this.ratioErrs = ratioErrs;
    }

    /**
     * The constraints as pseudo-measurements ρ (standard normal under the constraint): adds −½Σρ² to the log
     * likelihood's value {@code l} and returns it; with {@code score} and {@code fisher} non-null also adds −ρ∇ρ
     * and ∇ρ∇ρᵀ. −∞ when a ratio constraint meets a line content ≤ 0.
     */
    double constrain(double[] t, double l, double[] score, double[][] fisher) {
      if (Double.isFinite(sigmaPriorErr)) {
        double rho = (t[1] - scale) / sigmaPriorErr;
        l -= 0.5 * rho * rho;
        if (score != null) {
          score[1] -= rho / sigmaPriorErr;
          fisher[1][1] += 1 / (sigmaPriorErr * sigmaPriorErr);
        }
      }
      for (int j = 0; j < ratios.length; j++) {
        if (Double.isNaN(ratios[j])) {
          continue;
        }
        double a = t[2];
        if (!(a > 0)) {
          return Double.NEGATIVE_INFINITY;
        }
        double rho = (t[3 + j] / a - ratios[j]) / ratioErrs[j];
        l -= 0.5 * rho * rho;
        if (score != null) {
          double dNeighbour = 1 / (ratioErrs[j] * a);
          double dLine = -t[3 + j] / (ratioErrs[j] * a * a);
          score[3 + j] -= rho * dNeighbour;
          score[2] -= rho * dLine;
          fisher[3 + j][3 + j] += dNeighbour * dNeighbour;
          fisher[2][2] += dLine * dLine;
          fisher[3 + j][2] += dNeighbour * dLine;
        }
      }
      return l;
    }

    double[] start(double[] y, double centerAdc, double sigmaAdc) {
      int n = y.length;
      int side = Math.max(1, n / 10);
      double left = 0;
      double right = 0;
      for (int k = 0; k < side; k++) {
        left += y[k];
        right += y[n - 1 - k];
      }
      left /= side;
      right /= side;
      double bg = Math.max(0.5, 0.5 * (left + right));
      double slope = (right - left) / ((x[n - 1] - x[0]) / scale);
      double[] t = new double[np];
      t[0] = centerAdc;
      t[1] = sigmaAdc;
      // Each component starts with the counts above the background within ±σ of its position (/0.683),
      // so a weak neighbour does not start as large as the line.
      for (int j = -1; j < offsets.length; j++) {
        double at = centerAdc + (j < 0 ? 0 : offsets[j]);
        double local = 0;
        int bins = 0;
        for (int k = 0; k < n; k++) {
          if (Math.abs(x[k] - at) <= sigmaAdc) {
            local += y[k];
            bins++;
          }
        }
        t[j < 0 ? 2 : 3 + j] = Math.max(1, (local - bg * bins) / 0.683);
      }
      t[np - 2] = bg;
      t[np - 1] = slope;
      return t;
    }

    double mu(double[] t, int k) {
      double s = t[1];
      double v = t[np - 2] + t[np - 1] * (x[k] - c) / scale;
      double z = (x[k] - t[0]) / s;
      v += t[2] * w * Math.exp(-0.5 * z * z) / (SQRT_2PI * s);
      for (int j = 0; j < offsets.length; j++) {
        double zj = (x[k] - t[0] - offsets[j]) / s;
        v += t[3 + j] * w * Math.exp(-0.5 * zj * zj) / (SQRT_2PI * s);
      }
      return v;
    }

    void gradient(double[] t, int k, double[] g) {
      double s = t[1];
      g[0] = 0;
      g[1] = 0;
      for (int j = -1; j < offsets.length; j++) {
        double a = j < 0 ? t[2] : t[3 + j];
        double z = (x[k] - t[0] - (j < 0 ? 0 : offsets[j])) / s;
        double phi = w * Math.exp(-0.5 * z * z) / (SQRT_2PI * s);
        g[j < 0 ? 2 : 3 + j] = phi;
        g[0] += a * phi * z / s;
        g[1] += a * phi * (z * z - 1) / s;
      }
      g[np - 2] = 1;
      g[np - 1] = (x[k] - c) / scale;
    }

    double logL(double[] y, double[] t) {
      double l = 0;
      for (int k = 0; k < y.length; k++) {
        double mu = mu(t, k);
        if (!(mu > 0)) {
          return Double.NEGATIVE_INFINITY;
        }
        l += y[k] * Math.log(mu) - mu;
      }
      return constrain(t, l, null, null);
    }

    /** Maximises the Poisson likelihood in place; the standard errors, or null if it failed. */
    double[] maximise(double[] y, double[] t) {
      double lambda = 1e-3;
      double l = logL(y, t);
      if (l == Double.NEGATIVE_INFINITY) {
        return null;
      }
      double[] g = new double[np];
      for (int it = 0; it < MAX_ITERATIONS; it++) {
        double[][] fisher = new double[np][np];
        double[] score = new double[np];
        fill(y, t, g, fisher, score);
        boolean improved = false;
        while (lambda < 1e10) {
          RealMatrix f = MatrixUtils.createRealMatrix(fisher);
          for (int i = 0; i < np; i++) {
            f.addToEntry(i, i, lambda * Math.max(fisher[i][i], 1e-12));
          }
          LUDecomposition lu = new LUDecomposition(f);
          if (!lu.getSolver().isNonSingular()) {
            lambda *= 10;
            continue;
          }
          double[] step = lu.getSolver().solve(MatrixUtils.createRealVector(score)).toArray();
          double[] trial = t.clone();
          for (int i = 0; i < np; i++) {
            trial[i] += step[i];
          }
          double lt = trial[1] > 0 ? logL(y, trial) : Double.NEGATIVE_INFINITY;
          if (lt >= l) {
            boolean small = lt - l < 1e-9 * Math.max(1, Math.abs(l)) + 1e-10;
            System.arraycopy(trial, 0, t, 0, np);
            l = lt;
            lambda = Math.max(1e-9, lambda / 10);
            improved = true;
            if (small) {
              return errors(y, t, g);
            }
            break;
          }
          lambda *= 10;
        }
        if (!improved) {
          return errors(y, t, g); // no step improves: at the optimum to numerical precision
        }
      }
      return null;
    }

    private void fill(double[] y, double[] t, double[] g, double[][] fisher, double[] score) {
      for (int k = 0; k < y.length; k++) {
        double mu = mu(t, k);
        gradient(t, k, g);
        double r = y[k] / mu - 1;
        for (int i = 0; i < np; i++) {
          score[i] += r * g[i];
          for (int j = 0; j <= i; j++) {
            fisher[i][j] += g[i] * g[j] / mu;
          }
        }
      }
      constrain(t, 0, score, fisher);
      for (int i = 0; i < np; i++) {
        for (int j = i + 1; j < np; j++) {
          fisher[i][j] = fisher[j][i];
        }
      }
    }

    /**
     * The error of the line's content with the neighbours' contents held at their fitted values (position, width
     * and background free): how well the line stands above the background, without how the counts of a blend
     * are shared between its members (NaN when it cannot be computed).
     */
    double countsErrGivenNeighbours(double[] y, double[] t) {
      double[][] fisher = new double[np][np];
      fill(y, t, new double[np], fisher, new double[np]);
      int[] keep = {0, 1, 2, np - 2, np - 1};
      double[][] sub = new double[keep.length][keep.length];
      for (int i = 0; i < keep.length; i++) {
        for (int j = 0; j < keep.length; j++) {
          sub[i][j] = fisher[keep[i]][keep[j]];
        }
      }
      LUDecomposition lu = new LUDecomposition(MatrixUtils.createRealMatrix(sub));
      if (!lu.getSolver().isNonSingular()) {
        return Double.NaN;
      }
      double v = lu.getSolver().getInverse().getEntry(2, 2);
      return v > 0 ? Math.sqrt(v) : Double.NaN;
    }

    private double[] errors(double[] y, double[] t, double[] g) {
      double[][] fisher = new double[np][np];
      fill(y, t, g, fisher, new double[np]);
      LUDecomposition lu = new LUDecomposition(MatrixUtils.createRealMatrix(fisher));
      if (!lu.getSolver().isNonSingular()) {
        return null;
      }
      RealMatrix cov = lu.getSolver().getInverse();
      double[] e = new double[np];
      for (int i = 0; i < np; i++) {
        double v = cov.getEntry(i, i);
        if (!(v > 0)) {
          return null;
        }
        e[i] = Math.sqrt(v);
      }
      return e;
    }
  }
}
