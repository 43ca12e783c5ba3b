package org.nudaq.monitor.analysis;

import java.util.Arrays;
import org.hipparchus.random.RandomDataGenerator;
import org.nudaq.monitor.config.SystematicsConfig;
import org.nudaq.monitor.config.SystematicsConfig.Source;
import org.nudaq.monitor.limits.JointFit;

/**
 * Toy experiments for the systematic fit on an experiment's own window and templates: coverage of
 * the one-at-a-time intervals and of the joint region with the nuisances drawn from their
 * constraints, closure of the joint fit (μν alone, qν alone, both injected), and the bias of a
 * wrong flux with and without its nuisance.
 *
 * <p>Each toy draws the true nuisances θ_k ~ N(0, 1) (or takes them fixed), then
 * n_i ~ Poisson(t_on·[b_i(1 + ε) + F·(W·w_i + a s_i + c c_i) + Σ_shape θ_k(g0 + a gs + c gc)_ki]) and
 * m_i ~ Poisson(t_off·b_i), with F the product of the flux and efficiency×mass factors and W the
 * weak factor, each (1 + σ)^θ (log-normal) or 1 + σθ (Gaussian) exactly, ε = σθ the ON/OFF
 * background shift, and the shape sources (threshold, energy scale) at first order (the
 * {@link SystematicTemplates} effects: the same linearisation the fit uses). b_i is the configured
 * flat background, w, s, c the templates at nominal power. Then it runs {@link SystematicFitter#load}
 * and asks the {@link JointFit} the question of the study. True values are in units of σ₀ of each
 * parameter, the statistics-only Gaussian σ of its estimate for the expected background-only counts.
 * Seeded: the same arguments give the same numbers.
 *
 * <p>Not thread-safe (one study per thread).
 */
public final class SystematicsStudy {
  private final SystematicFitter fitter;
  private final SystematicTemplates sys;
  private final double[] b;
  private final double[] w;
  private final double[] s;
  private final double[] c;
  private final double[] ones;
  private final long[] on;
  private final long[] off;
  private final double[] tOn;
  private final double[] tOff;

  /**
   * @param limits the experiment's limits, built with systematic templates ({@link ExperimentLimits#forConfig})
   */
  public SystematicsStudy(ExperimentLimits limits) {
    if (limits.systematicFitter() == null) {
      throw new IllegalArgumentException("the limits were built without systematics");
    }
    AnalysisTemplates t = limits.templates();
    this.fitter = limits.systematicFitter();
    this.sys = fitter.templates();
    this.b = t.backgroundPerDay();
    this.w = t.weakPerDay();
    this.s = t.muUnitPerDay();
    this.c = t.qUnitPerDay();
    int n = b.length;
    this.ones = new double[n];
    Arrays.fill(ones, 1.0);
    this.on = new long[n];
    this.off = new long[n];
    this.tOn = new double[n];
    this.tOff = new double[n];
  }

  /** The nuisances of the fit. */
  public SystematicTemplates templates() {
    return sys;
  }

  /** σ₀ of a (μν², forMu) or c for an exposure: (Σ s_i²/((b_i + w_i)/t_on + b_i/t_off))^−½. */
  public double sigmaAtZero(double onDays, double offDays, boolean forMu) {
    double info = 0;
    double[] t = forMu ? s : c;
    for (int i = 0; i < t.length; i++) {
      if (t[i] > 0) {
        info += t[i] * t[i] / ((b[i] + w[i]) / onDays + b[i] / offDays);
      }
    }
    return 1 / Math.sqrt(info);
  }

  /**
   * The outcome of one study point.
   *
   * @param toys              toys run
   * @param muCovered         fraction whose one-at-a-time μν² interval (all nuisances) holds the truth
   * @param qCovered          same for qν²
   * @param jointCovered      fraction whose joint region (all nuisances) holds the truth
   * @param muStatCovered     the μν² interval without nuisances
   * @param qStatCovered      the qν² interval without nuisances
   * @param jointStatCovered  the joint region without nuisances
   * @param muPull            mean (â − a)/σ_a of the joint fit, all nuisances
   * @param qPull             mean (ĉ − c)/σ_c of the joint fit
   * @param muWithin2         fraction of toys with |â − a| ≤ 2σ_a (joint fit)
   * @param qWithin2          same for ĉ
   * @param muStatPull        mean pull of the one-at-a-time μν² without nuisances
   * @param muFluxPull        mean pull of the one-at-a-time μν² with the flux nuisance alone
   * @param muFluxCovered     coverage of that interval
   */
  public record Point(int toys, double muCovered, double qCovered, double jointCovered, double muStatCovered,
      double qStatCovered, double jointStatCovered, double muPull, double qPull, double muWithin2, double qWithin2,
      double muStatPull, double muFluxPull, double muFluxCovered) {

    /** Binomial σ of a fraction p over these toys. */
    public double error(double p) {
      return Math.sqrt(p * (1 - p) / toys);
    }
  }

  /**
   * Runs toys with true a = muSigmas·σ₀(μ), c = qSigmas·σ₀(q).
   *
   * @param drawNuisances   draw the true θ from the constraints (else all nominal)
   * @param fluxFactor      a fixed true flux factor on top (1: none; 0.95: the flux 5% low)
   */
  public Point run(double onDays, double offDays, double muSigmas, double qSigmas, int toys, long seed,
      boolean drawNuisances, double fluxFactor) {
    int n = b.length;
    Arrays.fill(tOn, onDays);
    Arrays.fill(tOff, offDays);
    double a = muSigmas * sigmaAtZero(onDays, offDays, true);
    double q = qSigmas * sigmaAtZero(onDays, offDays, false);
    RandomDataGenerator random = new RandomDataGenerator(seed);
    int k = sys.count();
    double[] theta = new double[k];
    int fluxIndex = sys.sources().indexOf(Source.FLUX_NORMALISATION);
    JointFit joint = fitter.joint();
    int muCov = 0;
    int qCov = 0;
    int jointCov = 0;
    int muStat = 0;
    int qStat = 0;
    int jointStat = 0;
    int muIn2 = 0;
    int qIn2 = 0;
    int muFluxCov = 0;
    double muPull = 0;
    double qPull = 0;
    double muStatPull = 0;
    double muFluxPull = 0;
    for (int t = 0; t < toys; t++) {
      double flux = fluxFactor;
      double weakFactor = 1;
      double onOff = 0;
      for (int j = 0; j < k; j++) {
        theta[j] = drawNuisances ? random.nextNormal(0, 1) : 0.0;
        SystematicsConfig.Constraint con = sys.constraints().get(j);
        double factor = con.shape() == SystematicsConfig.Shape.LOG_NORMAL
            ? Math.pow(1 + con.sigma(), theta[j]) : 1 + con.sigma() * theta[j];
        switch (sys.sources().get(j)) {
          case FLUX_NORMALISATION, EFFICIENCY_MASS -> flux *= factor;
          case WEAK_NORMALISATION -> weakFactor *= factor;
          case ON_OFF_BACKGROUND -> onOff = con.sigma() * theta[j];
          default -> { }
        }
      }
      for (int i = 0; i < n; i++) {
        double rate = b[i] * (1 + onOff) + flux * (weakFactor * w[i] + a * s[i] + q * c[i]);
        for (int j = 0; j < k; j++) {
          Source src = sys.sources().get(j);
          if (src == Source.THRESHOLD_POSITION || src == Source.THRESHOLD_WIDTH || src == Source.ENERGY_GAIN
              || src == Source.ENERGY_OFFSET) {
            rate += theta[j] * (sys.g0()[j][i] + a * sys.gs()[j][i] + q * sys.gc()[j][i]);
          }
        }
        double onMean = onDays * Math.max(0.0, rate);
        on[i] = onMean > 0 ? random.nextPoisson(onMean) : 0;
        double offMean = offDays * b[i];
        off[i] = offMean > 0 ? random.nextPoisson(offMean) : 0;
      }
      fitter.load(on, off, tOn, tOff, w, s, c, ones);
      boolean[] all = joint.all();
      boolean[] none = joint.none();
      JointFit.OneParameter mu = joint.oneAtATime(all, true);
      JointFit.OneParameter qq = joint.oneAtATime(all, false);
      JointFit.OneParameter muS = joint.oneAtATime(none, true);
      JointFit.OneParameter qS = joint.oneAtATime(none, false);
      if (q == 0 && mu.lower() <= a && a <= mu.upper()) {
        muCov++;
      }
      if (a == 0 && qq.lower() <= q && q <= qq.upper()) {
        qCov++;
      }
      if (q == 0 && muS.lower() <= a && a <= muS.upper()) {
        muStat++;
      }
      if (a == 0 && qS.lower() <= q && q <= qS.upper()) {
        qStat++;
      }
      muStatPull += (muS.hat() - a) / muS.sigma();
      if (fluxIndex >= 0) {
        JointFit.OneParameter muF = joint.oneAtATime(joint.only(fluxIndex), true);
        muFluxPull += (muF.hat() - a) / muF.sigma();
        if (muF.lower() <= a && a <= muF.upper()) {
          muFluxCov++;
        }
      }
      JointFit.Fit free = joint.fit(all, Double.NaN, Double.NaN);
      double sa = Math.sqrt(free.varA());
      double sc = Math.sqrt(free.varC());
      muPull += (free.a() - a) / sa;
      qPull += (free.c() - q) / sc;
      muIn2 += Math.abs(free.a() - a) <= 2 * sa ? 1 : 0;
      qIn2 += Math.abs(free.c() - q) <= 2 * sc ? 1 : 0;
      jointCov += joint.contains(all, a, q) ? 1 : 0;
      jointStat += joint.contains(none, a, q) ? 1 : 0;
    }
    double n0 = toys;
    return new Point(toys, muCov / n0, qCov / n0, jointCov / n0, muStat / n0, qStat / n0, jointStat / n0,
        muPull / n0, qPull / n0, muIn2 / n0, qIn2 / n0, muStatPull / n0, muFluxPull / n0, muFluxCov / n0);
  }
}
