package org.nudaq.monitor.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nudaq.monitor.config.SystematicsConfig;
import org.nudaq.monitor.limits.JointFit;
import org.nudaq.monitor.limits.JointResult;
import org.nudaq.monitor.limits.LimitResult;

/**
 * The JSON fields of a limits result that {@code nudaq limits --json} and {@code /api/limits} share,
 * built in one place so that both print the same keys (documented in docs/analysis.md, "Result
 * fields"): per parameter the estimate, the interval and whether it is one- or two-sided, the
 * significance, the method and the cross-section model; and the systematic part (nuisances, their
 * impacts, the joint fit and its contour, the tabulated alternatives). Physical units: μν² in μB²,
 * μν in μB, qν² in e0², |qν| in e0. NaN and infinities become null. Stateless.
 */
public final class ResultDocument {
  private static final double MU = AnalysisTemplates.MU_UNIT_MUB;
  private static final double Q = AnalysisTemplates.Q_UNIT_E0;
  /** What the joint fit is, in the words every result carries. */
  public static final String JOINT_METHOD = "joint Gaussian chi2 fit of (mu^2, q^2), nuisances profiled; region "
      + "t(mu^2, q^2) <= k with the boundary-aware (Feldman-Cousins, two-dimensional) critical value k";

  private ResultDocument() {}

  /**
   * One parameter of the main (statistics-only) result: the keys the page has always read ({@code unit},
   * {@code hat2}, {@code sigma2}, {@code limit}, {@code expected*}) and the added ones.
   */
  public static Map<String, Object> parameter(ExperimentResult r, boolean mu) {
    LimitResult l = mu ? r.mu() : r.q();
    double u = mu ? MU : Q;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unit", mu ? "muB" : "e0");
    m.put("hat2", num(mu ? r.muHat2() : r.qHat2()));
    m.put("sigma2", num(mu ? r.muSigma2() : r.qSigma2()));
    m.put("limit", num(mu ? r.muLimit() : r.qLimit()));
    m.put("expected", num(mu ? r.muExpected() : r.qExpected()));
    m.put("expectedMinus1", num(mu ? r.muExpectedMinus1() : r.qExpectedMinus1()));
    m.put("expectedPlus1", num(mu ? r.muExpectedPlus1() : r.qExpectedPlus1()));
    if (l != null) {
      m.put("lowerLimit", num(l.lowerLimitParameter() * u));
      m.put("interval", l.lowerLimitX() > 0 ? "two-sided" : "upper-limit");
      m.put("significance", num(Math.max(0.0, l.xHat() / l.xSigma())));
      m.put("method", label(l.method().name()));
    }
    SystematicResult s = r.systematics();
    if (s != null) {
      m.put("crossSection", mu ? s.muCrossSection() : s.qCrossSection());
      m.put("nuisances", "none (statistics only); see systematics");
    }
    return m;
  }

  /** The systematic part, or null when the result has none. */
  public static Map<String, Object> systematics(ExperimentResult r) {
    SystematicResult s = r.systematics();
    if (s == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("approximate", s.fewCounts());
    List<Object> nuisances = new ArrayList<>();
    for (int k = 0; k < s.sources().size(); k++) {
      SystematicsConfig.Source src = s.sources().get(k);
      SystematicsConfig.Constraint c = s.constraints().get(k);
      SystematicResult.Impact impact = s.impacts().get(k);
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("name", src.key());
      n.put("sigma", c.sigma());
      n.put("unit", src.unit());
      n.put("constraint", label(c.shape().name()));
      n.put("source", c.measuredBy() != null ? c.measuredBy() : src.provenance());
      n.put("sigmaFrom", c.measuredBy() != null ? "calibration" : "configured"); // issue 17
      n.put("pull", num(s.joint().pulls()[k]));
      n.put("alone", Map.of("mu", one(impact.mu(), MU), "q", one(impact.q(), Q)));
      n.put("impactMuSigma2", num(quadratureExcess(impact.mu().sigma(), s.statOnly().mu().sigma()) * MU * MU));
      n.put("impactQSigma2", num(quadratureExcess(impact.q().sigma(), s.statOnly().q().sigma()) * Q * Q));
      nuisances.add(n);
    }
    m.put("nuisances", nuisances);
    Map<String, Object> mu = new LinkedHashMap<>();
    mu.put("crossSection", s.muCrossSection());
    mu.put("withSystematics", one(s.joint().mu(), MU));
    mu.put("statOnly", one(s.statOnly().mu(), MU));
    m.put("mu", mu);
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("crossSection", s.qCrossSection());
    q.put("withSystematics", one(s.joint().q(), Q));
    q.put("statOnly", one(s.statOnly().q(), Q));
    m.put("q", q);
    Map<String, Object> joint = joint(s.joint());
    joint.put("statOnly", joint(s.statOnly()));
    m.put("joint", joint);
    List<Object> alternatives = new ArrayList<>();
    for (SystematicResult.Alternative a : s.alternatives()) {
      double u = a.parameter().equals("mu") ? MU : Q;
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("parameter", a.parameter());
      x.put("crossSection", a.model());
      x.put("withSystematics", one(a.withSystematics(), u));
      x.put("statOnly", one(a.statOnly(), u));
      alternatives.add(x);
    }
    m.put("alternatives", alternatives);
    return m;
  }

  /**
   * Issue 17: the line masks' widths and where they came from ({@code configured} resolution or the online
   * {@code calibration}'s epochs), per detector and line; null when the result does not say.
   */
  public static Map<String, Object> lineMasks(ExperimentResult r) {
    LineMasks lm = r.lineMasks();
    if (lm == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", lm.source());
    m.put("sigmas", lm.sigmas());
    m.put("rule", "sigma of each line: the configured resolution, or the widest of the calibration epochs "
        + "in force during the data");
    List<Object> detectors = new ArrayList<>();
    for (LineMasks.DetectorMasks d : lm.detectors()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("detector", d.detector());
      x.put("source", d.source());
      x.put("epochs", d.epochs());
      x.put("firstEpochAtNs", d.firstEpochAtNs());
      x.put("lastEpochAtNs", d.lastEpochAtNs());
      List<Object> lines = new ArrayList<>();
      for (LineMasks.Line l : d.lines()) {
        Map<String, Object> y = new LinkedHashMap<>();
        y.put("name", l.name());
        y.put("energyKeV", l.energyKeV());
        y.put("sigmaKeV", num(l.sigmaKeV()));
        y.put("halfWidthKeV", num(l.halfWidthKeV()));
        y.put("channel", l.channel());
        y.put("epochAtNs", l.epochAtNs());
        lines.add(y);
      }
      x.put("lines", lines);
      detectors.add(x);
    }
    m.put("detectors", detectors);
    return m;
  }

  /**
   * Issue 17: the energy-scale nuisances' σ and where each came from ({@code configured} or {@code calibration},
   * with what measured it); null without the systematic part.
   */
  public static Map<String, Object> energyScaleConstraints(ExperimentResult r) {
    SystematicResult s = r.systematics();
    if (s == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int k = 0; k < s.sources().size(); k++) {
      SystematicsConfig.Source src = s.sources().get(k);
      if (src != SystematicsConfig.Source.ENERGY_GAIN && src != SystematicsConfig.Source.ENERGY_OFFSET) {
        continue;
      }
      SystematicsConfig.Constraint c = s.constraints().get(k);
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("sigma", c.sigma());
      n.put("unit", src.unit());
      n.put("sigmaFrom", c.measuredBy() != null ? "calibration" : "configured");
      n.put("source", c.measuredBy() != null ? c.measuredBy() : src.provenance());
      m.put(src.key(), n);
    }
    return m;
  }

  private static Map<String, Object> joint(JointResult j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", JOINT_METHOD);
    m.put("confidenceLevel", j.confidenceLevel());
    m.put("bins", j.bins());
    m.put("muHat2", num(j.aHat() * MU * MU));
    m.put("muSigma2", num(j.aSigma() * MU * MU));
    m.put("qHat2", num(j.cHat() * Q * Q));
    m.put("qSigma2", num(j.cSigma() * Q * Q));
    m.put("correlation", num(j.correlation()));
    m.put("covariance", num(j.covariance() * MU * MU * Q * Q));
    m.put("muHat2Physical", num(j.aPhysical() * MU * MU));
    m.put("qHat2Physical", num(j.cPhysical() * Q * Q));
    m.put("significance", num(j.significance()));
    m.put("t0", num(j.t0()));
    if (j.contourA().length > 0) {
      m.put("muLimit", num(Math.sqrt(j.contourMaxA()) * MU));
      m.put("qLimit", num(Math.sqrt(j.contourMaxC()) * Q));
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("muHat2", scaled(j.contourA(), MU * MU));
      c.put("qHat2Low", scaled(j.contourCLow(), Q * Q));
      c.put("qHat2High", scaled(j.contourCHigh(), Q * Q));
      m.put("contour", c);
    }
    return m;
  }

  /** A one-at-a-time fit in physical units. */
  public static Map<String, Object> one(JointFit.OneParameter p, double unit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hat2", num(p.hat() * unit * unit));
    m.put("sigma2", num(p.sigma() * unit * unit));
    m.put("lowerLimit", num(Math.sqrt(p.lower()) * unit));
    m.put("limit", num(Math.sqrt(p.upper()) * unit));
    m.put("interval", p.lower() > 0 ? "two-sided" : "upper-limit");
    m.put("significance", num(p.significance()));
    return m;
  }

  /** √(σ² − σ₀²): what a nuisance adds to the statistical σ, in quadrature. */
  public static double quadratureExcess(double sigma, double statSigma) {
    return Math.sqrt(Math.max(0.0, sigma * sigma - statSigma * statSigma));
  }

  private static Double[] scaled(double[] v, double f) {
    Double[] out = new Double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = num(v[i] * f);
    }
    return out;
  }

  private static String label(String enumName) {
    return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
