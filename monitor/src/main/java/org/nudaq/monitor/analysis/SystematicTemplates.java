package org.nudaq.monitor.analysis;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.AnalysisConfig;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SystematicsConfig;
import org.nudaq.monitor.config.SystematicsConfig.Source;
import org.nudaq.monitor.physics.BinnedExpectedSpectra;
import org.nudaq.monitor.physics.BinningSpec;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.DetectorResponse;
import org.nudaq.monitor.physics.PhysicsModel;

/**
 * What each systematic uncertainty does to the expected ON − OFF spectrum, per concatenated window
 * bin (the layout of {@link AnalysisTemplates}) and per 1σ of its constraint: the changes of the weak
 * part (g0), of the μν template (gs) and of the qν template (gc), in counts/day in the bin at nominal
 * power. These are the first-order (linear) effects the {@link org.nudaq.monitor.limits.JointFit}
 * profiles; a log-normal source of relative σ enters with ln(1 + σ) per unit θ (the derivative of
 * (1 + σ)^θ at 0), a Gaussian one with σ.
 *
 * <ul>
 *   <li>flux normalisation and efficiency × mass: every reactor rate scales, g = κ·(w, s, c);
 *   <li>weak-rate normalisation: g0 = κ·w;
 *   <li>threshold position: the templates folded with the threshold at ±σ, (F₊ − F₋)/2;
 *   <li>threshold width: folded with the width × (1 + σ)^±1, (F₊ − F₋)/2;
 *   <li>energy-scale gain γ and offset o (measured E' = (1 + γ)E + o; the trigger acts on the raw
 *       amplitude, so the threshold edge moves with the scale): dF/dγ = −F − E·dF/dE, dF/do = −dF/dE,
 *       dF/dE by central differences between bins;
 *   <li>ON/OFF background ratio: g0 = κ·b_i with b_i the background per day, which depends on the data
 *       ({@link #onOffCoefficient()}; the caller fills it from the fitted background of each update).
 * </ul>
 * A source of σ = 0 is left out. Masked bins have gs = gc = 0 like the templates. Sources act on all
 * detectors alike (one θ for all: a common flux, a common calibration procedure).
 *
 * <p>Immutable (arrays handed out are the internal ones: read-only by contract); thread-safe.
 */
public final class SystematicTemplates {
  private final List<Source> sources;
  private final List<SystematicsConfig.Constraint> constraints;
  private final double[][] g0;
  private final double[][] gs;
  private final double[][] gc;
  private final int onOffIndex;
  private final double onOffCoefficient;

  private SystematicTemplates(List<Source> sources, List<SystematicsConfig.Constraint> constraints, double[][] g0,
      double[][] gs, double[][] gc, int onOffIndex, double onOffCoefficient) {
    this.sources = List.copyOf(sources);
    this.constraints = List.copyOf(constraints);
    this.g0 = g0;
    this.gs = gs;
    this.gc = gc;
    this.onOffIndex = onOffIndex;
    this.onOffCoefficient = onOffCoefficient;
  }

  /** The coefficient per unit θ: σ (Gaussian) or ln(1 + σ) (log-normal). */
  public static double coefficient(SystematicsConfig.Constraint c) {
    return c.shape() == SystematicsConfig.Shape.LOG_NORMAL ? Math.log1p(c.sigma()) : c.sigma();
  }

  /**
   * Builds the effects of the configuration's {@code analysis.systematics} on {@code templates}
   * (built from the same configuration with the same models).
   */
  public static SystematicTemplates of(NudaqConfig config, PhysicsModel weakModel, PhysicsModel muModel,
      PhysicsModel qModel, AnalysisTemplates templates, SystematicsConfig systematics) {
    List<Source> active = new ArrayList<>();
    List<SystematicsConfig.Constraint> constraints = new ArrayList<>();
    if (systematics.enabled()) {
      for (Source s : Source.values()) {
        SystematicsConfig.Constraint c = systematics.sources().get(s);
        if (c != null && c.sigma() > 0) {
          active.add(s);
          constraints.add(c);
        }
      }
    }
    int k = active.size();
    int n = templates.binCount();
    double[][] g0 = new double[k][n];
    double[][] gs = new double[k][n];
    double[][] gc = new double[k][n];
    AnalysisConfig a = config.analysis();
    BinningSpec binning = ConfiguredPhysics.binning(a);
    int first = templates.firstSpectrumBin();
    int perDetector = templates.windowBins();
    int onOff = -1;
    double onOffKappa = 0;
    double[][][][] shapes = new double[config.detectors().size()][][][];
    for (int j = 0; j < k; j++) {
      Source src = active.get(j);
      double kappa = coefficient(constraints.get(j));
      double sigma = constraints.get(j).sigma();
      switch (src) {
        case FLUX_NORMALISATION, EFFICIENCY_MASS -> {
          for (int i = 0; i < n; i++) {
            g0[j][i] = kappa * templates.weak(i);
            gs[j][i] = kappa * templates.muUnit(i);
            gc[j][i] = kappa * templates.qUnit(i);
          }
        }
        case WEAK_NORMALISATION -> {
          for (int i = 0; i < n; i++) {
            g0[j][i] = kappa * templates.weak(i);
          }
        }
        case ON_OFF_BACKGROUND -> {
          onOff = j;
          onOffKappa = kappa;
        }
        default -> {
          for (int d = 0; d < config.detectors().size(); d++) {
            DetectorConfig det = config.detectors().get(d);
            DetectorResponse r = ConfiguredPhysics.response(det);
            if (shapes[d] == null) {
              shapes[d] = folds(weakModel, muModel, qModel, binning, r, systematics);
            }
            double[][][] f = shapes[d];
            double[][] change = switch (src) {
              case THRESHOLD_POSITION -> half(f[1], f[2]);
              case THRESHOLD_WIDTH -> half(f[3], f[4]);
              case ENERGY_GAIN, ENERGY_OFFSET -> energyScale(f[0], binning, src == Source.ENERGY_GAIN, kappa);
              default -> throw new IllegalStateException("unhandled source " + src);
            };
            double perBin = det.massKg() * a.binWidthKeV();
            for (int b = 0; b < perDetector; b++) {
              int i = d * perDetector + b;
              int sb = first + b;
              g0[j][i] = change[0][sb] * perBin;
              if (!templates.masked(i)) {
                gs[j][i] = change[1][sb] * perBin;
                gc[j][i] = change[2][sb] * perBin;
              }
            }
          }
        }
      }
    }
    return new SystematicTemplates(active, constraints, g0, gs, gc, onOff, onOffKappa);
  }

  /**
   * Issue 17: these effects, built from unmasked templates ({@code withoutMasks}), with the masks of
   * {@code masked} applied (gs = gc = 0 in its masked bins, as {@link #of} gives for masked templates) and
   * each active source's constraint replaced by {@code systematics}' (its rows scaled by the ratio of the
   * coefficients per unit θ: the effects are linear in it). Nothing is folded again. The set of active
   * sources and their shapes must stay (the calibration only changes the energy-scale σ's).
   *
   * @throws IllegalArgumentException when {@code systematics} switches a source on or off or changes a shape
   */
  public SystematicTemplates derived(AnalysisTemplates masked, SystematicsConfig systematics) {
    int k = sources.size();
    for (Source s : Source.values()) {
      SystematicsConfig.Constraint c = systematics.sources().get(s);
      boolean on = systematics.enabled() && c != null && c.sigma() > 0;
      if (on != sources.contains(s)) {
        throw new IllegalArgumentException("derived nuisance effects: source " + s.key() + " switched "
            + (on ? "on" : "off"));
      }
    }
    int n = masked.binCount();
    double[][] ng0 = new double[k][n];
    double[][] ngs = new double[k][n];
    double[][] ngc = new double[k][n];
    List<SystematicsConfig.Constraint> cs = new ArrayList<>();
    double onOff = onOffCoefficient;
    for (int j = 0; j < k; j++) {
      SystematicsConfig.Constraint old = constraints.get(j);
      SystematicsConfig.Constraint now = systematics.sources().get(sources.get(j));
      if (now.shape() != old.shape()) {
        throw new IllegalArgumentException("derived nuisance effects: the shape of " + sources.get(j).key() + " changed");
      }
      boolean same = now.sigma() == old.sigma();
      double f = same ? 1.0 : coefficient(now) / coefficient(old);
      for (int i = 0; i < n; i++) {
        ng0[j][i] = same ? g0[j][i] : f * g0[j][i];
        if (!masked.masked(i)) {
          ngs[j][i] = same ? gs[j][i] : f * gs[j][i];
          ngc[j][i] = same ? gc[j][i] : f * gc[j][i];
        }
      }
      if (j == onOffIndex) {
        onOff = coefficient(now);
      }
      cs.add(now);
    }
    return new SystematicTemplates(sources, cs, ng0, ngs, ngc, onOffIndex, onOff);
  }

  private static DetectorResponse withThreshold(DetectorResponse r, double thresholdKeV, double widthKeV) {
    return new DetectorResponse(r.noiseFwhmKeV(), r.fanoFactor(), r.pairEnergyEV(), thresholdKeV, widthKeV,
        r.massKg());
  }

  /**
   * [nominal, threshold +σ, −σ, width ×(1 + σ), ÷(1 + σ)] × [weak, μ, q] per keV·kg·day over the whole
   * binning, each rate from its model, folded once per model with the threshold variations as extra
   * efficiencies.
   */
  private static double[][][] folds(PhysicsModel weakModel, PhysicsModel muModel, PhysicsModel qModel,
      BinningSpec binning, DetectorResponse r, SystematicsConfig systematics) {
    double position = systematics.sources().get(Source.THRESHOLD_POSITION).sigma();
    double width = systematics.sources().get(Source.THRESHOLD_WIDTH).sigma();
    List<DetectorResponse> variants = List.of(r,
        withThreshold(r, r.thresholdKeV() + position, r.thresholdWidthKeV()),
        withThreshold(r, Math.max(0, r.thresholdKeV() - position), r.thresholdWidthKeV()),
        withThreshold(r, r.thresholdKeV(), r.thresholdWidthKeV() * (1 + width)),
        withThreshold(r, r.thresholdKeV(), r.thresholdWidthKeV() / (1 + width)));
    List<BinnedExpectedSpectra> e = weakModel.binnedExpectedSpectra(binning, r, variants);
    List<BinnedExpectedSpectra> m = muModel == weakModel ? e : muModel.binnedExpectedSpectra(binning, r, variants);
    List<BinnedExpectedSpectra> q = qModel == weakModel ? e : qModel == muModel ? m
        : qModel.binnedExpectedSpectra(binning, r, variants);
    double[][][] out = new double[variants.size()][][];
    for (int v = 0; v < variants.size(); v++) {
      out[v] = new double[][] {e.get(v).weakPerKeVKgDay(), m.get(v).muUnitPerKeVKgDay(), q.get(v).qUnitPerKeVKgDay()};
    }
    return out;
  }

  private static double[][] half(double[][] plus, double[][] minus) {
    double[][] out = new double[3][];
    for (int t = 0; t < 3; t++) {
      out[t] = new double[plus[t].length];
      for (int b = 0; b < plus[t].length; b++) {
        out[t][b] = 0.5 * (plus[t][b] - minus[t][b]);
      }
    }
    return out;
  }

  /** κ·dF/dγ = κ(−F − E dF/dE) or κ·dF/do = −κ dF/dE per bin, dF/dE by central differences. */
  static double[][] energyScale(double[][] f, BinningSpec binning, boolean gain, double kappa) {
    double width = binning.binWidthKeV();
    double[][] out = new double[3][];
    for (int t = 0; t < 3; t++) {
      double[] r = f[t];
      int n = r.length;
      out[t] = new double[n];
      for (int b = 0; b < n; b++) {
        int lo = Math.max(0, b - 1);
        int hi = Math.min(n - 1, b + 1);
        double slope = (r[hi] - r[lo]) / ((hi - lo) * width);
        double energy = binning.lowKeV() + (b + 0.5) * width;
        out[t][b] = kappa * (gain ? -r[b] - energy * slope : -slope);
      }
    }
    return out;
  }

  /** The active sources, in the order of the arrays. */
  public List<Source> sources() {
    return sources;
  }

  /** Their constraints, same order. */
  public List<SystematicsConfig.Constraint> constraints() {
    return constraints;
  }

  public int count() {
    return sources.size();
  }

  /** [K][bins] change of the weak part per 1σ (zero row for the ON/OFF source: see {@link #onOffIndex()}). */
  public double[][] g0() {
    return g0;
  }

  /** [K][bins] change of the μν template per 1σ. */
  public double[][] gs() {
    return gs;
  }

  /** [K][bins] change of the qν template per 1σ. */
  public double[][] gc() {
    return gc;
  }

  /** Index of the ON/OFF background source, or −1 when it is off. */
  public int onOffIndex() {
    return onOffIndex;
  }

  /** Its coefficient per unit θ: the g0 row is this times the background per day of each bin. */
  public double onOffCoefficient() {
    return onOffCoefficient;
  }
}
