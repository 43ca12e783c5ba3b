package org.nudaq.monitor.limits;

/**
 * The Feldman–Cousins unified interval for the signal mean μ of one Poisson count with a known
 * background mean b (Feldman & Cousins, PRD 57 (1998) 3873, Sec. IV.B): the exact few-count answer
 * a single bin with known background deserves, and the reference the asymptotic constructions are
 * checked against.
 *
 * <p><b>Construction.</b> For each μ the acceptance region is built from the counts n in order of
 * R(n) = P(n | μ + b) / P(n | μ_best + b), μ_best = max(0, n − b), adding counts until their total
 * probability reaches the confidence level. R is unimodal in n, so the region is an interval
 * [n1(μ), n2(μ)] grown from the count of largest R by adding whichever neighbour has the larger R.
 * The interval for an observed n0 is the set of μ whose region holds n0: its ends are found on a
 * grid of step {@value #GRID_STEP} in μ (from 0 up for the lower end, from 2·n0 + 10 down for the
 * upper end) and refined by bisection on that membership to 1e-9.
 *
 * <p><b>Monotone upper ends.</b> With the plain construction the upper end for small n0 is not
 * monotone in b: as b grows it falls, then jumps back up when an acceptance region changes (n0 = 0:
 * 1.08 at b = 2, but more just above). Feldman and Cousins publish upper ends made non-increasing in
 * b (their Table IV), i.e. the largest plain upper end over all b' ≥ b; {@link #interval} does the
 * same, scanning b' from b to b + {@value #MONOTONE_SCAN_RANGE} in steps of
 * {@value #MONOTONE_SCAN_STEP} and locating each upward jump of the plain upper end by bisection
 * (the maximum sits just after a jump; the plain upper end is sawtooth-like in b with falling
 * peaks, so the maximum lies within one period). {@link #plainInterval} is the construction without it.
 *
 * <p>Immutable; thread-safe. A call costs a few to tens of milliseconds: this is for single-bin
 * questions, not for the per-update path.
 */
public final class FeldmanCousinsPoisson {

  static final double GRID_STEP = 0.02;
  static final double MONOTONE_SCAN_RANGE = 2.0;
  static final double MONOTONE_SCAN_STEP = 0.01;
  private static final int BISECTIONS = 30;
  private static final int JUMP_BISECTIONS = 20;

  private final double confidenceLevel;

  /** @param confidenceLevel 0 &lt; CL &lt; 1, e.g. 0.90 */
  public FeldmanCousinsPoisson(double confidenceLevel) {
    if (!(confidenceLevel > 0.0 && confidenceLevel < 1.0)) {
      throw new InvalidLimitInputException(
          "confidence level must be in (0,1): confidenceLevel=" + confidenceLevel);
    }
    this.confidenceLevel = confidenceLevel;
  }

  /**
   * The published-style interval: the plain lower end, the upper end made non-increasing in b.
   *
   * @param observed n0 ≥ 0
   * @param background b ≥ 0, finite
   */
  public ConfidenceInterval interval(long observed, double background) {
    ConfidenceInterval plain = plainInterval(observed, background);
    double upper = plain.upper();
    // Upper ends within the scan never exceed the plain one at b by a jump's height (< 1).
    double start = Math.min(muMax(observed), plain.upper() + 1.0);
    int steps = (int) Math.round(MONOTONE_SCAN_RANGE / MONOTONE_SCAN_STEP);
    double previousB = background;
    double previousUpper = plain.upper();
    for (int k = 1; k <= steps; k++) {
      double b = background + k * MONOTONE_SCAN_STEP;
      double u = upperEnd(observed, b, start);
      if (u > previousUpper + 1e-6) {
        // A jump between previousB and b: the supremum is just after it, so find it by bisection.
        double lowB = previousB;
        double highB = b;
        double threshold = 0.5 * (previousUpper + u);
        for (int i = 0; i < JUMP_BISECTIONS; i++) {
          double mid = 0.5 * (lowB + highB);
          if (upperEnd(observed, mid, start) > threshold) {
            highB = mid;
          } else {
            lowB = mid;
          }
        }
        u = Math.max(u, upperEnd(observed, highB, start));
      }
      upper = Math.max(upper, u);
      previousB = b;
      previousUpper = u;
    }
    return new ConfidenceInterval(plain.lower(), upper);
  }

  /** The interval of the plain construction at this b (no monotone adjustment). */
  public ConfidenceInterval plainInterval(long observed, double background) {
    check(observed, background);
    double lower = 0.0;
    if (!accepts(observed, 0.0, background)) {
      double mu = GRID_STEP;
      while (!accepts(observed, mu, background)) {
        mu += GRID_STEP;
        if (mu > muMax(observed)) {
          throw new IllegalStateException("no μ accepts n0=" + observed + " b=" + background);
        }
      }
      lower = refine(observed, background, mu - GRID_STEP, mu, false);
    }
    return new ConfidenceInterval(lower, upperEnd(observed, background, muMax(observed)));
  }

  private double upperEnd(long observed, double background, double startMu) {
    // Scan down from above the interval on the fixed grid of multiples of GRID_STEP (so the answer
    // does not depend on where the scan starts): the first accepted μ from above is the upper end.
    double mu = Math.ceil(startMu / GRID_STEP) * GRID_STEP;
    while (!accepts(observed, mu, background)) {
      mu -= GRID_STEP;
      if (mu < 0.0) {
        return 0.0;
      }
    }
    return refine(observed, background, mu, mu + GRID_STEP, true);
  }

  /** Bisection between an accepted and a rejected μ (which is which given by {@code acceptedLow}). */
  private double refine(long observed, double background, double low, double high, boolean acceptedLow) {
    for (int i = 0; i < BISECTIONS; i++) {
      double mid = 0.5 * (low + high);
      if (accepts(observed, mid, background) == acceptedLow) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return 0.5 * (low + high);
  }

  /** Whether n0 lies in the acceptance region of μ. */
  boolean accepts(long observed, double mu, double background) {
    double mean = mu + background;
    int nMax = (int) Math.ceil(mean + 12.0 * Math.sqrt(mean + 1.0) + 20.0);
    // Start at the count of largest R and grow the region towards the larger-R neighbour.
    int best = 0;
    double bestR = -1.0;
    for (int n = 0; n <= nMax; n++) {
      double r = ratio(n, mean, background);
      if (r > bestR) {
        bestR = r;
        best = n;
      }
    }
    int low = best;
    int high = best;
    double sum = poisson(best, mean);
    while (sum < confidenceLevel) {
      double left = low > 0 ? ratio(low - 1, mean, background) : -1.0;
      double right = ratio(high + 1, mean, background);
      if (right >= left) {
        high++;
        sum += poisson(high, mean);
      } else {
        low--;
        sum += poisson(low, mean);
      }
    }
    return low <= observed && observed <= high;
  }

  /** R(n) = P(n | μ+b) / P(n | μ_best+b), μ_best = max(0, n − b), in closed form. */
  private static double ratio(int n, double mean, double background) {
    double bestMean = Math.max(background, n);
    if (n == 0) {
      return Math.exp(bestMean - mean);
    }
    return Math.exp(n * Math.log(mean / bestMean) - mean + bestMean);
  }

  private static double poisson(int n, double mean) {
    if (mean == 0.0) {
      return n == 0 ? 1.0 : 0.0;
    }
    double p = Math.exp(-mean);
    for (int k = 1; k <= n; k++) {
      p *= mean / k;
    }
    return p;
  }

  private static double muMax(long observed) {
    return 2.0 * observed + 10.0;
  }

  private static void check(long observed, double background) {
    if (observed < 0 || observed > 1000) {
      throw new InvalidLimitInputException("observed count must be in 0..1000: observed=" + observed);
    }
    if (!(background >= 0.0) || Double.isInfinite(background)) {
      throw new InvalidLimitInputException("background must be finite and >= 0: background=" + background);
    }
  }

  public double confidenceLevel() {
    return confidenceLevel;
  }
}
