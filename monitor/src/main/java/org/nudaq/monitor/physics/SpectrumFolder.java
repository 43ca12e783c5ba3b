package org.nudaq.monitor.physics;

import java.util.Arrays;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Folds the true recoil spectra of a {@link PhysicsModel} with a {@link DetectorResponse} into bins.
 *
 * <p>Method: the true-energy axis is cut into cells of a quarter bin (also cut at the Ge shell
 * energies, where the stepping approximation jumps); each cell is represented by the 3 points and
 * weights of Hipparchus' Gauss–Legendre rule, each point a mass rate·weight at T. Every mass is spread
 * by the Gaussian of σ(T) over measured sub-bins of a quarter bin, using exact CDF differences (so a
 * mass entirely inside the range is conserved to 1e-10). The threshold efficiency is applied at each
 * measured sub-bin centre, then the sub-bins are summed into bins and divided by the bin width. The
 * Gaussian is cut at ±8σ. One instance per call; not thread-safe.
 */
final class SpectrumFolder {

  private static final int SUBDIVISIONS = 4;
  private static final int RULE_POINTS = 3;
  private static final double GAUSS_CUT_SIGMAS = 8.0;

  private final PhysicsModel model;
  private final NormalCdfTable normalCdf;
  /** Multiplies the unit rates at true recoil T before folding (an atomic-response ratio); null: 1. */
  private final java.util.function.DoubleUnaryOperator recoilRatio;

  SpectrumFolder(PhysicsModel model, NormalCdfTable normalCdf) {
    this(model, normalCdf, null);
  }

  SpectrumFolder(PhysicsModel model, NormalCdfTable normalCdf, java.util.function.DoubleUnaryOperator recoilRatio) {
    this.model = model;
    this.normalCdf = normalCdf;
    this.recoilRatio = recoilRatio;
  }

  BinnedExpectedSpectra fold(BinningSpec binning, DetectorResponse response) {
    return fold(binning, response, java.util.List.of(response)).get(0);
  }

  /**
   * Folds once with {@code response}'s resolution and applies each of {@code efficiencies}' threshold
   * efficiency to the smeared spectrum (the resolution of those responses is ignored): the spectra of
   * several threshold settings for the cost of one fold.
   */
  java.util.List<BinnedExpectedSpectra> fold(BinningSpec binning, DetectorResponse response,
      java.util.List<DetectorResponse> efficiencies) {
    int bins = binning.binCount();
    int subBins = bins * SUBDIVISIONS;
    double low = binning.lowKeV();
    double high = binning.highKeV();
    double subWidth = binning.binWidthKeV() / SUBDIVISIONS;
    double[][] fine = new double[3][subBins];

    double minRecoil = model.parameters().minimumRecoilKeV();
    double trueLow = Math.max(minRecoil, low - GAUSS_CUT_SIGMAS * response.sigmaKeV(low));
    double sigmaAbove = response.sigmaKeV(high + GAUSS_CUT_SIGMAS * response.sigmaKeV(high));
    double trueHigh =
        Math.min(
            high + GAUSS_CUT_SIGMAS * sigmaAbove,
            Kinematics.maxRecoilKeV(model.spectrum().maximumEnergyKeV()));

    if (trueHigh > trueLow) {
      double[] cellEdges = cellEdges(trueLow, trueHigh, subWidth);
      GaussIntegratorFactory factory = new GaussIntegratorFactory();
      double[] scratch = new double[3];
      double[] rates = new double[3];
      for (int c = 0; c + 1 < cellEdges.length; c++) {
        GaussIntegrator rule = factory.legendre(RULE_POINTS, cellEdges[c], cellEdges[c + 1]);
        for (int p = 0; p < rule.getNumberOfPoints(); p++) {
          double recoil = rule.getPoint(p);
          model.unitRates(recoil, scratch, rates);
          double weight = rule.getWeight(p);
          if (recoilRatio != null) {
            weight *= recoilRatio.applyAsDouble(recoil);
          }
          spread(recoil, response.sigmaKeV(recoil), weight, rates, fine, low, subWidth, subBins);
        }
      }
    }

    double[] edges = new double[bins + 1];
    for (int i = 0; i <= bins; i++) {
      edges[i] = binning.edgeKeV(i);
    }
    double muScale = BinnedExpectedSpectra.MU_UNIT_MUB * BinnedExpectedSpectra.MU_UNIT_MUB;
    double qScale = BinnedExpectedSpectra.Q_UNIT_E0 * BinnedExpectedSpectra.Q_UNIT_E0;
    double width = binning.binWidthKeV();
    java.util.List<BinnedExpectedSpectra> out = new java.util.ArrayList<>();
    for (DetectorResponse eff : efficiencies) {
      double[] weak = new double[bins];
      double[] mu = new double[bins];
      double[] q = new double[bins];
      for (int k = 0; k < subBins; k++) {
        double efficiency = eff.efficiency(low + (k + 0.5) * subWidth);
        int bin = k / SUBDIVISIONS;
        weak[bin] += fine[0][k] * efficiency;
        mu[bin] += fine[1][k] * efficiency * muScale;
        q[bin] += fine[2][k] * efficiency * qScale;
      }
      for (int i = 0; i < bins; i++) {
        weak[i] /= width;
        mu[i] /= width;
        q[i] /= width;
      }
      out.add(new BinnedExpectedSpectra(
          edges, weak, mu, q, BinnedExpectedSpectra.MU_UNIT_MUB, BinnedExpectedSpectra.Q_UNIT_E0));
    }
    return out;
  }

  private void spread(
      double recoil,
      double sigma,
      double weight,
      double[] rates,
      double[][] fine,
      double low,
      double subWidth,
      int subBins) {
    if (rates[0] == 0.0 && rates[1] == 0.0 && rates[2] == 0.0) {
      return;
    }
    int from = (int) Math.max(0.0, Math.floor((recoil - GAUSS_CUT_SIGMAS * sigma - low) / subWidth));
    int to = (int) Math.min(subBins, Math.ceil((recoil + GAUSS_CUT_SIGMAS * sigma - low) / subWidth));
    if (from >= to) {
      return;
    }
    double w0 = weight * rates[0];
    double w1 = weight * rates[1];
    double w2 = weight * rates[2];
    double previous = normalCdf.cdf((low + from * subWidth - recoil) / sigma);
    for (int k = from; k < to; k++) {
      double next = normalCdf.cdf((low + (k + 1) * subWidth - recoil) / sigma);
      double fraction = next - previous;
      fine[0][k] += w0 * fraction;
      fine[1][k] += w1 * fraction;
      fine[2][k] += w2 * fraction;
      previous = next;
    }
  }

  /** Uniform cell edges of width step from lo to hi, plus the Ge shell energies inside. */
  private static double[] cellEdges(double lo, double hi, double step) {
    int cells = (int) Math.ceil((hi - lo) / step);
    GermaniumShell[] shells = GermaniumShell.values();
    double[] edges = new double[cells + 1 + shells.length];
    int n = 0;
    for (int i = 0; i < cells; i++) {
      edges[n++] = lo + i * step;
    }
    edges[n++] = hi;
    for (GermaniumShell shell : shells) {
      double e = shell.bindingEnergyKeV();
      if (e > lo && e < hi) {
        edges[n++] = e;
      }
    }
    double[] sorted = Arrays.copyOf(edges, n);
    Arrays.sort(sorted);
    // Drop slivers shorter than 1e-9 keV, created when a shell energy sits on a grid edge.
    int m = 1;
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] - sorted[m - 1] > 1e-9) {
        sorted[m++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, m);
  }
}
