package org.nudaq.monitor.limits;

import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.solvers.BrentSolver;

/**
 * Binned ON/OFF Poisson likelihood for the early phase, when bins hold few counts:
 * <pre>
 *   n_i ~ Poisson(t_on (b_i + a_i)),  a_i = w_i + X s_i,     m_i ~ Poisson(t_off b_i),   b_i ≥ 0
 * </pre>
 * with each bin's background b_i profiled out in closed form (see
 * {@link #profiledBackground(double, double, double, double, double)}).
 *
 * <p><b>Interval.</b> X̂ is the maximum of the profile likelihood on X ≥ 0, and the statistic is
 * the bounded likelihood ratio t̃(X) = −2 ln(L(X)/L(X̂)) (Cowan, Cranmer, Gross, Vitells, EPJC 71
 * (2011) 1554, "t̃_μ"). The interval is {X ≥ 0 : t̃(X) ≤ c(X)}. A fixed c = 2.71 (= 1.645², the
 * same number as the one-sided 90% cut) over-covers at X = 0: there t̃(0) = 0 whenever X̂ = 0
 * (half the time), so the coverage is 0.5 + 0.45 = 95%. In the asymptotic regime t̃ is exactly
 * −2 ln R of the Feldman–Cousins ordering for a Gaussian with σ the asymptotic width, so we take
 * c(X) = d(X/σ(X))², with d the FC acceptance half-width of {@link FeldmanCousinsGaussian}
 * (1.2816² at X = 0, rising to 1.645² = 2.71 a couple of σ away from the boundary). That is the
 * Feldman–Cousins construction with the likelihood ratio as ordering, with asymptotic critical
 * values: it covers at 90% at and away from the boundary, and reduces to the Gaussian FC interval
 * when counts are large. σ(X) is the profiled Fisher width at X (below); Poisson discreteness
 * makes the coverage oscillate by ~1% around nominal for a few bins of tens of counts (toy
 * coverage with 3 bins of 20–40 counts: 89.7–90.4%).
 *
 * <p><b>Limitation.</b> The critical values are asymptotic. On many nearly empty bins (the first
 * days on 0.1 keV bins) the interval under-covers badly — one nuisance background per bin — and
 * with almost no counts in the whole window it is optimistic (for zero counts and zero background
 * ~1.1 expected signal events, where the exact Poisson construction gives 2.3–2.4). That is why
 * {@link RunningLimits} feeds it bins merged by {@link AdaptiveRebinning} to ≥ 20 counts each, where
 * it covers (docs/analysis.md); {@link FeldmanCousinsPoisson} is the exact one-bin answer.
 *
 * <p><b>Asymptotic width.</b> For one bin the Fisher information of (b, X) profiled over b gives
 * var(X) = ((b + a)/t_on + b/t_off)/s² at (b̂(X), X): the same expression as the Gaussian
 * estimator's variance with expected counts.
 *
 * <p>Counts are held as doubles in preallocated arrays (capacity fixed at construction), so that
 * Asimov data (expected, non-integer counts) use the same code; only bins of the window with
 * s_i &gt; 0 are kept.
 *
 * <p>Mutable scratch state: not thread-safe; one owner thread ({@link RunningLimits} keeps one).
 */
public final class OnOffProfileLikelihood {

  private static final int MAX_EVALUATIONS = 1000;
  private static final int MAX_DOUBLINGS = 2000;

  private final double[] on;
  private final double[] off;
  private final double[] weak;
  private final double[] signal;
  /** Live times of each loaded bin, days (all equal unless loaded with per-bin live times). */
  private final double[] onDays;
  private final double[] offDays;
  private int bins;
  private double onLiveTimeDays;
  private double offLiveTimeDays;

  /** @param capacity the largest number of bins a window will have */
  public OnOffProfileLikelihood(int capacity) {
    if (capacity <= 0) {
      throw new InvalidLimitInputException("likelihood capacity must be > 0: capacity=" + capacity);
    }
    on = new double[capacity];
    off = new double[capacity];
    weak = new double[capacity];
    signal = new double[capacity];
    onDays = new double[capacity];
    offDays = new double[capacity];
  }

  /** Loads observed data (units as in {@link BinnedInput}). */
  public void load(BinnedInput input) {
    load(input.onCounts(), input.offCounts(), input.onLiveTimeDays(), input.offLiveTimeDays(),
        input.weakRatePerDay(), input.unitSignalRatePerDay(), input.firstBin(),
        input.endBinExclusive());
  }

  /** Loads observed data from the window {@code [firstBin, endBinExclusive)} of the arrays. */
  public void load(long[] onCounts, long[] offCounts, double onLiveTimeDays,
      double offLiveTimeDays, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive) {
    begin(onCounts.length, onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive);
    for (int i = firstBin; i < endBinExclusive; i++) {
      BinnedInput.checkBin(i, onCounts[i], offCounts[i], weakRatePerDay[i],
          unitSignalRatePerDay[i]);
      add(onCounts[i], offCounts[i], weakRatePerDay[i], unitSignalRatePerDay[i]);
    }
    requireBins(firstBin, endBinExclusive);
  }

  /**
   * Loads the background-only Asimov data set n_i = t_on(b_i + w_i), m_i = t_off·b_i for the
   * given background rates b_i (counts/day in the bin).
   */
  public void loadAsimov(double[] backgroundRatePerDay, double onLiveTimeDays,
      double offLiveTimeDays, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive) {
    begin(backgroundRatePerDay.length, onLiveTimeDays, offLiveTimeDays, firstBin,
        endBinExclusive);
    for (int i = firstBin; i < endBinExclusive; i++) {
      double b = backgroundRatePerDay[i];
      if (!(b >= 0.0) || Double.isInfinite(b)) {
        throw new InvalidLimitInputException(
            "background rate must be finite and >= 0: bin=" + i + " backgroundRatePerDay=" + b);
      }
      BinnedInput.checkBin(i, 0, 0, weakRatePerDay[i], unitSignalRatePerDay[i]);
      add(onLiveTimeDays * (b + weakRatePerDay[i]), offLiveTimeDays * b, weakRatePerDay[i],
          unitSignalRatePerDay[i]);
    }
    requireBins(firstBin, endBinExclusive);
  }

  /**
   * Loads the background-only Asimov data set with the background estimated from the OFF counts,
   * b_i = m_i / t_off.
   */
  public void loadAsimovFromOffCounts(long[] offCounts, double onLiveTimeDays,
      double offLiveTimeDays, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive) {
    begin(offCounts.length, onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive);
    for (int i = firstBin; i < endBinExclusive; i++) {
      BinnedInput.checkBin(i, 0, offCounts[i], weakRatePerDay[i], unitSignalRatePerDay[i]);
      double b = offCounts[i] / offLiveTimeDays;
      add(onLiveTimeDays * (b + weakRatePerDay[i]), offCounts[i], weakRatePerDay[i],
          unitSignalRatePerDay[i]);
    }
    requireBins(firstBin, endBinExclusive);
  }

  /**
   * Loads observed data with live times per bin (days): bin i is n_i ~ Poisson(t_on,i (b_i + a_i)),
   * m_i ~ Poisson(t_off,i b_i). For several detectors, each detector's bins carry its own live times.
   */
  public void load(long[] onCounts, long[] offCounts, double[] onLiveTimeDaysPerBin,
      double[] offLiveTimeDaysPerBin, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive) {
    GaussianEstimator.checkPerBinWindow(onCounts.length, onLiveTimeDaysPerBin,
        offLiveTimeDaysPerBin, firstBin, endBinExclusive);
    begin(onCounts.length, onLiveTimeDaysPerBin[firstBin], offLiveTimeDaysPerBin[firstBin],
        firstBin, endBinExclusive);
    for (int i = firstBin; i < endBinExclusive; i++) {
      BinnedInput.checkBin(i, onCounts[i], offCounts[i], weakRatePerDay[i],
          unitSignalRatePerDay[i]);
      onLiveTimeDays = onLiveTimeDaysPerBin[i];
      offLiveTimeDays = offLiveTimeDaysPerBin[i];
      add(onCounts[i], offCounts[i], weakRatePerDay[i], unitSignalRatePerDay[i]);
    }
    requireBins(firstBin, endBinExclusive);
  }

  /**
   * The background-only Asimov data set n_i = t_on,i(b_i + w_i), m_i = t_off,i·b_i with live
   * times per bin (days).
   */
  public void loadAsimov(double[] backgroundRatePerDay, double[] onLiveTimeDaysPerBin,
      double[] offLiveTimeDaysPerBin, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive) {
    GaussianEstimator.checkPerBinWindow(backgroundRatePerDay.length, onLiveTimeDaysPerBin,
        offLiveTimeDaysPerBin, firstBin, endBinExclusive);
    begin(backgroundRatePerDay.length, onLiveTimeDaysPerBin[firstBin],
        offLiveTimeDaysPerBin[firstBin], firstBin, endBinExclusive);
    for (int i = firstBin; i < endBinExclusive; i++) {
      double b = backgroundRatePerDay[i];
      if (!(b >= 0.0) || Double.isInfinite(b)) {
        throw new InvalidLimitInputException(
            "background rate must be finite and >= 0: bin=" + i + " backgroundRatePerDay=" + b);
      }
      BinnedInput.checkBin(i, 0, 0, weakRatePerDay[i], unitSignalRatePerDay[i]);
      onLiveTimeDays = onLiveTimeDaysPerBin[i];
      offLiveTimeDays = offLiveTimeDaysPerBin[i];
      add(onLiveTimeDays * (b + weakRatePerDay[i]), offLiveTimeDays * b, weakRatePerDay[i],
          unitSignalRatePerDay[i]);
    }
    requireBins(firstBin, endBinExclusive);
  }

  /** Bins currently loaded (window bins with s &gt; 0). */
  public int bins() {
    return bins;
  }

  /**
   * The background rate b ≥ 0 maximising one bin's likelihood for a fixed a = w + X·s ≥ 0.
   *
   * <p>ln L = n ln(t_on(b+a)) − t_on(b+a) + m ln(t_off b) − t_off b. Setting ∂/∂b = 0:
   * n/(b+a) + m/b = t_on + t_off ≡ T, i.e. n b + m (b+a) = T b (b+a), the quadratic
   * <pre>  T b² + (T a − n − m) b − m a = 0.</pre>
   * Its product of roots is −m a/T ≤ 0, so exactly one root is ≥ 0, and ln L is concave in b,
   * so that root is the maximum on b ≥ 0: b = (−B + √(B² + 4 T m a)) / (2T) with B = T a − n − m
   * (computed as 2 m a/(B + √…) when B &gt; 0, to avoid cancellation). Special cases follow from
   * the same formula: m = 0 gives b = max(0, (n − T a)/T); a = 0 gives b = (n + m)/T. Whenever
   * n &gt; 0, b + a &gt; 0, so the ON mean stays positive.
   *
   * @param n ON counts, ≥ 0
   * @param m OFF counts, ≥ 0
   * @param a the non-background ON rate w + X s, ≥ 0
   */
  public static double profiledBackground(
      double n, double m, double onLiveTimeDays, double offLiveTimeDays, double a) {
    double total = onLiveTimeDays + offLiveTimeDays;
    double linear = total * a - n - m;
    double root = Math.sqrt(linear * linear + 4.0 * total * m * a);
    if (linear > 0.0) {
      return 2.0 * m * a / (linear + root);
    }
    return (root - linear) / (2.0 * total);
  }

  /** The profile log-likelihood ln L(X, b̂(X)) (constants dropped). X ≥ 0. */
  public double logLikelihood(double x) {
    double sum = 0.0;
    for (int i = 0; i < bins; i++) {
      double a = weak[i] + x * signal[i];
      double b = profiledBackground(on[i], off[i], onDays[i], offDays[i], a);
      double muOn = onDays[i] * (b + a);
      double muOff = offDays[i] * b;
      sum += xLogY(on[i], muOn) - muOn + xLogY(off[i], muOff) - muOff;
    }
    return sum;
  }

  /**
   * d ln L_profile / dX = Σ s_i (n_i/(b̂_i + a_i) − t_on) (the b-derivative vanishes at b̂, so only
   * the explicit X-dependence remains).
   */
  public double score(double x) {
    double sum = 0.0;
    for (int i = 0; i < bins; i++) {
      double a = weak[i] + x * signal[i];
      double b = profiledBackground(on[i], off[i], onDays[i], offDays[i], a);
      double ratio = on[i] > 0.0 ? on[i] / (b + a) : 0.0;
      sum += signal[i] * (ratio - onDays[i]);
    }
    return sum;
  }

  /**
   * The asymptotic σ of X at X (profiled Fisher information, formula in the class comment); 0 if
   * some bin has zero expected counts (infinite information).
   */
  public double asymptoticSigma(double x) {
    double information = 0.0;
    for (int i = 0; i < bins; i++) {
      double a = weak[i] + x * signal[i];
      double b = profiledBackground(on[i], off[i], onDays[i], offDays[i], a);
      double denominator = onDays[i] * b + offDays[i] * (b + a);
      information += denominator > 0.0
          ? signal[i] * signal[i] * onDays[i] * offDays[i] / denominator
          : Double.POSITIVE_INFINITY;
    }
    return 1.0 / Math.sqrt(information);
  }

  /** The maximum-likelihood X̂ on X ≥ 0. */
  public double fitNonNegative() {
    if (score(0.0) <= 0.0) {
      return 0.0;
    }
    double scale = scale();
    double low = 0.0;
    double high = scale;
    for (int doubling = 0; score(high) > 0.0; doubling++) {
      if (doubling == MAX_DOUBLINGS) {
        throw new IllegalStateException("profile likelihood has no maximum: bins=" + bins);
      }
      low = high;
      high *= 2.0;
    }
    UnivariateFunction score = this::score;
    return new BrentSolver(1e-13, 1e-10 * scale).solve(MAX_EVALUATIONS, score, low, high);
  }

  /** t̃(X) = −2 ln(L(X)/L(X̂)) for the bounded maximum X̂ = {@link #fitNonNegative()}. */
  public double testStatistic(double x, double xHat) {
    return Math.max(0.0, 2.0 * (logLikelihood(xHat) - logLikelihood(x)));
  }

  /**
   * The interval {X ≥ 0 : t̃(X) ≤ d(X/σ(X))²} (see the class comment) on the loaded data.
   *
   * @param feldmanCousins supplies the critical values and the confidence level
   */
  public ConfidenceInterval interval(FeldmanCousinsGaussian feldmanCousins) {
    double xHat = fitNonNegative();
    double lnLMax = logLikelihood(xHat);
    UnivariateFunction excess = x -> {
      double t = Math.max(0.0, 2.0 * (lnLMax - logLikelihood(x)));
      double d = feldmanCousins.acceptanceHalfWidth(sigmaUnits(x));
      return t - d * d;
    };
    double step = asymptoticSigma(xHat);
    if (!(step > 0.0) || Double.isInfinite(step)) {
      step = scale();
    }
    double high = xHat + step;
    for (int doubling = 0; excess.value(high) < 0.0; doubling++) {
      if (doubling == MAX_DOUBLINGS) {
        throw new IllegalStateException("profile likelihood limit not bracketed: bins=" + bins);
      }
      high = xHat + 2.0 * (high - xHat);
    }
    BrentSolver solver = new BrentSolver(1e-12, 1e-10 * step);
    double upper = solver.solve(MAX_EVALUATIONS, excess, xHat, high);
    double lower = 0.0;
    if (xHat > 0.0 && excess.value(0.0) > 0.0) {
      lower = solver.solve(MAX_EVALUATIONS, excess, 0.0, xHat);
    }
    return new ConfidenceInterval(lower, upper);
  }

  /**
   * On Asimov data (loaded with {@code loadAsimov…}, whose X̂ is 0), the X at which
   * −2 ln(L(X)/L(0)) = 1: the likelihood's own σ for the expected sensitivity.
   */
  public double asimovSigma() {
    double lnL0 = logLikelihood(0.0);
    UnivariateFunction excess = x -> 2.0 * (lnL0 - logLikelihood(x)) - 1.0;
    double scale = scale();
    double low = 0.0;
    double high = scale;
    for (int doubling = 0; excess.value(high) < 0.0; doubling++) {
      if (doubling == MAX_DOUBLINGS) {
        throw new IllegalStateException("Asimov likelihood never reaches q=1: bins=" + bins);
      }
      low = high;
      high *= 2.0;
    }
    return new BrentSolver(1e-13, 1e-12 * scale).solve(MAX_EVALUATIONS, excess, low, high);
  }

  /** X in units of σ(X), 0 at X = 0, +∞ when σ(X) = 0. */
  private double sigmaUnits(double x) {
    if (x <= 0.0) {
      return 0.0;
    }
    double sigma = asymptoticSigma(x);
    return sigma > 0.0 ? x / sigma : Double.POSITIVE_INFINITY;
  }

  /** A natural scale of X for brackets and tolerances: σ at X = 0, or 1 if that is degenerate. */
  private double scale() {
    double sigma = asymptoticSigma(0.0);
    return sigma > 0.0 && Double.isFinite(sigma) ? sigma : 1.0;
  }

  private void begin(int length, double onDays, double offDays, int firstBin, int endBin) {
    BinnedInput.checkWindowAndLiveTimes(length, onDays, offDays, firstBin, endBin);
    if (endBin - firstBin > on.length) {
      throw new InvalidLimitInputException("window larger than likelihood capacity: windowBins="
          + (endBin - firstBin) + " capacity=" + on.length);
    }
    bins = 0;
    onLiveTimeDays = onDays;
    offLiveTimeDays = offDays;
  }

  private void add(double n, double m, double w, double s) {
    if (s == 0.0) {
      return;
    }
    on[bins] = n;
    off[bins] = m;
    weak[bins] = w;
    signal[bins] = s;
    onDays[bins] = onLiveTimeDays;
    offDays[bins] = offLiveTimeDays;
    bins++;
  }

  private void requireBins(int firstBin, int endBinExclusive) {
    if (bins == 0) {
      throw new InvalidLimitInputException("no bin with unitSignalRatePerDay > 0 in window: "
          + "firstBin=" + firstBin + " endBinExclusive=" + endBinExclusive);
    }
  }

  private static double xLogY(double x, double y) {
    return x == 0.0 ? 0.0 : x * Math.log(y);
  }
}
