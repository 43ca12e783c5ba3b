package org.nudaq.monitor.analysis;

import org.nudaq.monitor.limits.FeldmanCousinsGaussian;
import org.nudaq.monitor.limits.JointFit;

/**
 * The expected (median, background-only) one-at-a-time limits and their ±1σ band with the nuisances of
 * the configuration profiled, beside the statistics-only ones, from Asimov data sets
 * ({@link SystematicFitter#loadAsimov}). The σ of X̂ with nuisances depends on the true X (a flux or
 * efficiency uncertainty is a fraction of the signal), so the limit U at x = k·σ solves
 * U = FC_upper(kσ(U), σ(U)) with σ(U) the profiled σ for Asimov data at X = U, by fixed-point iteration
 * (a few steps: σ changes by a few % of itself). Not thread-safe (it loads the fitter).
 */
public final class ExpectedWithSystematics {
  private ExpectedWithSystematics() {}

  /**
   * The median expected limit on the parameter (μν in μB or |qν| in e0) with the given nuisances active
   * (e.g. {@code joint().only(k)}: one nuisance's impact).
   */
  public static double median(ExperimentLimits limits, double onDays, double offDays, boolean forMu, boolean[] active) {
    SystematicFitter fitter = limits.systematicFitter();
    JointFit joint = fitter.joint();
    FeldmanCousinsGaussian fc = new FeldmanCousinsGaussian(joint.confidenceLevel());
    double u = 0;
    for (int it = 0; it < 20; it++) {
      fitter.loadAsimov(limits.templates(), onDays, offDays, forMu, u);
      double sigma = joint.oneAtATime(active, forMu).sigma();
      double next = fc.interval(0, sigma).upper();
      boolean done = Math.abs(next - u) < 1e-6 * next;
      u = next;
      if (done) {
        break;
      }
    }
    return Math.sqrt(u) * (forMu ? AnalysisTemplates.MU_UNIT_MUB : AnalysisTemplates.Q_UNIT_E0);
  }

  /**
   * Expected limits on the parameter (μν in μB or |qν| in e0): {median, −1σ edge, +1σ edge} with all
   * nuisances, then the same without nuisances.
   */
  public static double[] limits(ExperimentLimits limits, double onDays, double offDays, boolean forMu) {
    SystematicFitter fitter = limits.systematicFitter();
    AnalysisTemplates t = limits.templates();
    JointFit joint = fitter.joint();
    FeldmanCousinsGaussian fc = new FeldmanCousinsGaussian(joint.confidenceLevel());
    double unit = forMu ? AnalysisTemplates.MU_UNIT_MUB : AnalysisTemplates.Q_UNIT_E0;
    double[] out = new double[6];
    int[] ks = {0, -1, 1};
    for (int m = 0; m < 3; m++) {
      for (int sys = 0; sys < 2; sys++) {
        boolean[] active = sys == 0 ? joint.all() : joint.none();
        double u = 0;
        double sigma = 0;
        for (int it = 0; it < 20; it++) {
          fitter.loadAsimov(t, onDays, offDays, forMu, u);
          sigma = joint.oneAtATime(active, forMu).sigma();
          double next = fc.interval(ks[m] * sigma, sigma).upper();
          if (Math.abs(next - u) < 1e-6 * next) {
            u = next;
            break;
          }
          u = next;
        }
        out[sys * 3 + m] = Math.sqrt(u) * unit;
      }
    }
    return out;
  }
}
