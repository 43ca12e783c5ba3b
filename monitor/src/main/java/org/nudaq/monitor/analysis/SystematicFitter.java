package org.nudaq.monitor.analysis;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.limits.GaussianEstimator;
import org.nudaq.monitor.limits.JointFit;
import org.nudaq.monitor.limits.JointResult;

/**
 * Runs the systematic part of a limits update ({@link SystematicResult}) from the counts of the
 * concatenated window bins: builds d_i = n_i/t_on − m_i/t_off − w_i and its expected-count variance,
 * scales the nuisance effects ({@link SystematicTemplates}) by each detector's mean ON power, fills
 * the ON/OFF background effect from the background fitted to the data, and asks {@link JointFit} for
 * the joint fit with all nuisances, with none, with each alone, and for the tabulated-model
 * alternatives.
 *
 * <p>Not thread-safe: one instance per {@link ExperimentLimits}, used by its single writer.
 */
public final class SystematicFitter {
  /** Grid points per axis of the contour. */
  public static final int CONTOUR_GRID = 41;
  /** Counts per bin below which the χ² fit is flagged as approximate. */
  public static final long FEW_COUNTS = 20;

  private final SystematicTemplates systematics;
  private final List<Alternative> alternatives;
  private final String muCrossSection;
  private final String qCrossSection;
  private final JointFit joint;
  private final JointFit alternativeFit;
  private final double[] d;
  private final double[] variance;
  private final double[][] g0;
  private final double[][] gs;
  private final double[][] gc;

  /**
   * A tabulated model's template of one parameter.
   *
   * @param parameter        "mu" or "q"
   * @param model            its description
   * @param unitRatePerDay   the template per window bin at nominal power (masked bins 0)
   */
  public record Alternative(String parameter, String model, double[] unitRatePerDay) {}

  public SystematicFitter(SystematicTemplates systematics, List<Alternative> alternatives, String muCrossSection,
      String qCrossSection, int bins, double confidenceLevel) {
    this.systematics = systematics;
    this.alternatives = List.copyOf(alternatives);
    this.muCrossSection = muCrossSection;
    this.qCrossSection = qCrossSection;
    int k = systematics.count();
    this.joint = new JointFit(k, confidenceLevel);
    this.alternativeFit = new JointFit(k, confidenceLevel);
    this.d = new double[bins];
    this.variance = new double[bins];
    this.g0 = new double[k][bins];
    this.gs = new double[k][bins];
    this.gc = new double[k][bins];
  }

  public SystematicTemplates templates() {
    return systematics;
  }

  /**
   * The systematic result of one update.
   *
   * @param on       ON counts per bin
   * @param off      OFF counts per bin
   * @param tOn      ON live time per bin, days
   * @param tOff     OFF live time per bin, days
   * @param weak     weak rate per bin at the detector's mean power, counts/day
   * @param mu       μν template at that power
   * @param q        qν template at that power
   * @param power    mean ON power fraction per bin
   */
  public SystematicResult fit(long[] on, long[] off, double[] tOn, double[] tOff, double[] weak, double[] mu,
      double[] q, double[] power) {
    boolean few = load(on, off, tOn, tOff, weak, mu, q, power);
    int n = d.length;
    int k = systematics.count();
    JointResult all = joint.result(joint.all(), CONTOUR_GRID);
    JointResult stat = joint.result(joint.none(), 0);
    List<SystematicResult.Impact> impacts = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      boolean[] only = joint.only(j);
      impacts.add(new SystematicResult.Impact(systematics.sources().get(j), joint.oneAtATime(only, true),
          joint.oneAtATime(only, false)));
    }
    List<SystematicResult.Alternative> alt = new ArrayList<>();
    for (Alternative a : alternatives) {
      boolean forMu = a.parameter().equals("mu");
      double[] template = new double[n];
      double[][] scaledS = new double[k][];
      double[][] scaledC = new double[k][];
      for (int i = 0; i < n; i++) {
        template[i] = a.unitRatePerDay()[i] * power[i];
      }
      // The tabulated template replaces its parameter's; its nuisance effects scale with it (normalisations).
      for (int j = 0; j < k; j++) {
        scaledS[j] = forMu ? rescaled(gs[j], mu, template) : gs[j];
        scaledC[j] = forMu ? gc[j] : rescaled(gc[j], q, template);
      }
      alternativeFit.load(d, variance, forMu ? template : mu, forMu ? q : template, g0, scaledS, scaledC, 0, n);
      alt.add(new SystematicResult.Alternative(a.parameter(), a.model(), alternativeFit.oneAtATime(
          alternativeFit.all(), forMu), alternativeFit.oneAtATime(alternativeFit.none(), forMu)));
    }
    return new SystematicResult(systematics.sources(), systematics.constraints(), all, stat, impacts,
        muCrossSection, qCrossSection, alt, few);
  }


  /** The joint fit of the last {@link #load} (for studies that ask it their own questions). */
  public JointFit joint() {
    return joint;
  }

  /**
   * Loads one data set into {@link #joint()} (arguments as {@link #fit}); returns whether some used bin
   * holds fewer than {@value #FEW_COUNTS} ON or OFF counts.
   */
  public boolean load(long[] on, long[] off, double[] tOn, double[] tOff, double[] weak, double[] mu,
      double[] q, double[] power) {
    int n = d.length;
    int k = systematics.count();
    boolean few = false;
    for (int i = 0; i < n; i++) {
      d[i] = on[i] / tOn[i] - off[i] / tOff[i] - weak[i];
      variance[i] = GaussianEstimator.rateVariance(on[i], off[i], tOn[i], tOff[i], weak[i]);
      if ((mu[i] > 0 || q[i] > 0) && (on[i] < FEW_COUNTS || off[i] < FEW_COUNTS)) {
        few = true;
      }
      for (int j = 0; j < k; j++) {
        if (j == systematics.onOffIndex()) {
          g0[j][i] = systematics.onOffCoefficient()
              * GaussianEstimator.fittedBackgroundPerDay(on[i], off[i], tOn[i], tOff[i], weak[i]);
          gs[j][i] = 0;
          gc[j][i] = 0;
        } else {
          g0[j][i] = systematics.g0()[j][i] * power[i];
          gs[j][i] = systematics.gs()[j][i] * power[i];
          gc[j][i] = systematics.gc()[j][i] * power[i];
        }
      }
    }
    joint.load(d, variance, mu, q, g0, gs, gc, 0, n);
    return few;
  }

  /**
   * Loads the Asimov data set of an exposure with every detector at the same live times: the counts
   * expected for background b_i, the weak rate and a true μν² (forMu) or qν² of {@code trueX}, at nominal
   * power and nominal nuisances. The variances are those of the background-only counts, as in the
   * statistics-only expected sensitivity.
   */
  public void loadAsimov(AnalysisTemplates t, double onDays, double offDays, boolean forMu, double trueX) {
    int n = d.length;
    int k = systematics.count();
    double[] b = t.backgroundPerDay();
    double[] w = t.weakPerDay();
    double[] mu = t.muUnitPerDay();
    double[] q = t.qUnitPerDay();
    for (int i = 0; i < n; i++) {
      d[i] = trueX * (forMu ? mu[i] : q[i]);
      variance[i] = GaussianEstimator.rateVariance(onDays * (b[i] + w[i]), offDays * b[i], onDays, offDays, w[i]);
      for (int j = 0; j < k; j++) {
        boolean onOff = j == systematics.onOffIndex();
        g0[j][i] = onOff ? systematics.onOffCoefficient() * b[i] : systematics.g0()[j][i];
        gs[j][i] = onOff ? 0 : systematics.gs()[j][i];
        gc[j][i] = onOff ? 0 : systematics.gc()[j][i];
      }
    }
    joint.load(d, variance, mu, q, g0, gs, gc, 0, n);
  }

  /** g·(new/old) per bin: a relative effect carried over to another template (0 where old is 0). */
  private static double[] rescaled(double[] g, double[] old, double[] replacement) {
    double[] out = new double[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = old[i] > 0 ? g[i] * replacement[i] / old[i] : 0.0;
    }
    return out;
  }
}
