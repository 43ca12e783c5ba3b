package org.nudaq.monitor.calibration;

/**
 * Finds where the known lines sit in a raw (ADC) spectrum by their pattern, not by the highest bin: every
 * gain factor k in a range around the current energy scale predicts all line positions at once,
 * {@code adc_i(k) = (E_i − offset)/(gain·k)}, and k scores {@code Σ_i ln(1 + z_i)} with z_i the
 * significance of a peak at each prediction after a zero-sum "Mexican hat" filter of the line's width
 * ({@link #significance}: background cancels, neighbours barely matter; negative ones count as zero). The logarithm makes matching several lines count more than one large peak: a missing line adds
 * nothing anywhere, and a spurious peak, even the highest in the spectrum, lines up with one predicted
 * position at a time while the true k lines up all the real ones. Stateless, thread-safe.
 */
public final class PatternSearch {
  private PatternSearch() {}

  /**
   * @param counts        spectrum, counts per ADC channel (index = ADC value)
   * @param linesKeV      energies of the lines, keV
   * @param sigmaKeV      expected σ of each line, keV
   * @param offsetKeV     current offset, keV
   * @param gainKeVPerAdc current gain, keV per ADC channel
   * @param rangeFraction k spans 1 ± this
   * @return the best factor k (1 if nothing scores above zero)
   */
  public static double bestGainFactor(long[] counts, double[] linesKeV, double[] sigmaKeV, double offsetKeV,
      double gainKeVPerAdc, double rangeFraction) {
    double maxAdc = 0;
    double minSigmaAdc = Double.MAX_VALUE;
    for (int i = 0; i < linesKeV.length; i++) {
      maxAdc = Math.max(maxAdc, (linesKeV[i] - offsetKeV) / gainKeVPerAdc);
      minSigmaAdc = Math.min(minSigmaAdc, sigmaKeV[i] / gainKeVPerAdc);
    }
    double dk = Math.max(1e-6, 0.1 * minSigmaAdc / Math.max(1, maxAdc));
    int steps = (int) Math.ceil(rangeFraction / dk);
    double best = 1;
    double bestScore = 0;
    for (int j = -steps; j <= steps; j++) {
      double k = 1 + j * dk;
      double score = score(counts, linesKeV, sigmaKeV, offsetKeV, gainKeVPerAdc * k);
      if (score > bestScore + 1e-12 || (Math.abs(score - bestScore) <= 1e-12 && Math.abs(k - 1) < Math.abs(best - 1))) {
        bestScore = score;
        best = k;
      }
    }
    return best;
  }

  /** The pattern score of one energy scale. */
  static double score(long[] counts, double[] linesKeV, double[] sigmaKeV, double offsetKeV, double gainKeVPerAdc) {
    double score = 0;
    for (int i = 0; i < linesKeV.length; i++) {
      double p = (linesKeV[i] - offsetKeV) / gainKeVPerAdc;
      double s = sigmaKeV[i] / gainKeVPerAdc;
      double z = significance(counts, p, s);
      if (z > 0) {
        score += Math.log1p(z);
      }
    }
    return score;
  }

  /**
   * The significance of a peak of width s at p: the counts filtered with the zero-sum "Mexican hat"
   * h(d) = (1 − d²/s²)·exp(−d²/2s²) − mean over |d| ≤ 3.5 s (a flat or linear background cancels), divided
   * by the filtered counts' Poisson standard deviation √Σ h²·c. 0 where the kernel leaves the spectrum.
   */
  static double significance(long[] counts, double p, double s) {
    int half = (int) Math.ceil(3.5 * s);
    int c = (int) Math.round(p);
    if (c - half < 0 || c + half >= counts.length) {
      return 0;
    }
    double mean = 0;
    for (int d = -half; d <= half; d++) {
      mean += hat(d, s);
    }
    mean /= 2 * half + 1;
    double f = 0;
    double v = 0;
    for (int d = -half; d <= half; d++) {
      double h = hat(d, s) - mean;
      long n = counts[c + d];
      f += h * n;
      v += h * h * n;
    }
    return v > 0 ? f / Math.sqrt(v) : 0;
  }

  private static double hat(int d, double s) {
    double z2 = (double) d * d / (s * s);
    return (1 - z2) * Math.exp(-0.5 * z2);
  }
}
