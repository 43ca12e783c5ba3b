package org.nudaq.monitor.config;

import java.util.List;

/**
 * How the simulated HPGe energy scale and resolution drift in time, and an optional pulser line: the
 * ground truth the online calibration (issue 17) has to follow. A detected energy E is recorded as
 * {@code E · gain(t) + offsetKeV(t)} (what the board encodes with its nominal calibration), with
 * {@code gain(t) = 1 + gainPerYear·t/year + gainDailyAmplitude·sin(2π t/day) + Σ steps' gain} and
 * {@code offsetKeV(t) = offsetKeVPerYear·t/year + offsetDailyKeV·sin(2π t/day) + Σ steps' offset}; the
 * resolution σ(E) is multiplied by {@code 1 + resolutionPerYear·t/year}. All zero by default (no drift).
 * Immutable.
 *
 * @param gainPerYear         relative gain change per year of detector time (0.005 = +0.5 %/year)
 * @param gainDailyAmplitude  relative amplitude of a daily (temperature-like) sine cycle of the gain
 * @param offsetKeVPerYear    offset trend, keV per year
 * @param offsetDailyKeV      amplitude of a daily sine cycle of the offset, keV
 * @param resolutionPerYear   relative change of the resolution σ per year
 * @param steps               sudden changes (a power cut), each from its time on
 * @param pulserKeV           energy of a pulser line injected into every HPGe channel, keV (0: no pulser)
 * @param pulserHz            pulser rate per HPGe channel, Hz
 */
public record DriftConfig(double gainPerYear, double gainDailyAmplitude, double offsetKeVPerYear, double offsetDailyKeV,
    double resolutionPerYear, List<Step> steps, double pulserKeV, double pulserHz) {

  /** No drift, no pulser. */
  public static final DriftConfig NONE = new DriftConfig(0, 0, 0, 0, 0, List.of(), 0, 0);

  public static final double SECONDS_PER_YEAR = 365.25 * 86_400;

  public DriftConfig {
    steps = List.copyOf(steps);
  }

  /**
   * A sudden change of the energy scale.
   *
   * @param atDays    detector time of the step, days
   * @param gain      relative gain change (0.003 = +0.3 %)
   * @param offsetKeV offset change, keV
   */
  public record Step(double atDays, double gain, double offsetKeV) {
    static Step bind(ConfigNode n) {
      double at = n.requiredNumber("atDays");
      n.requireNonNegative("atDays", at);
      double g = n.number("gain", 0);
      n.requireRange("gain", g, -0.5, 0.5);
      double o = n.number("offsetKeV", 0);
      return new Step(at, g, o);
    }
  }

  /** Relative gain at detector time {@code timeNs} (1 = nominal). */
  public double gainAt(long timeNs) {
    double s = timeNs * 1e-9;
    double g = 1 + gainPerYear * s / SECONDS_PER_YEAR + gainDailyAmplitude * Math.sin(2 * Math.PI * s / 86_400);
    for (Step st : steps) {
      if (s >= st.atDays * 86_400) {
        g += st.gain;
      }
    }
    return g;
  }

  /** Offset added to the recorded energy at detector time {@code timeNs}, keV. */
  public double offsetKeVAt(long timeNs) {
    double s = timeNs * 1e-9;
    double o = offsetKeVPerYear * s / SECONDS_PER_YEAR + offsetDailyKeV * Math.sin(2 * Math.PI * s / 86_400);
    for (Step st : steps) {
      if (s >= st.atDays * 86_400) {
        o += st.offsetKeV;
      }
    }
    return o;
  }

  /** Factor on the resolution σ at detector time {@code timeNs}. */
  public double resolutionFactorAt(long timeNs) {
    return 1 + resolutionPerYear * timeNs * 1e-9 / SECONDS_PER_YEAR;
  }

  /** Whether the energy scale or resolution changes at all. */
  public boolean drifts() {
    return gainPerYear != 0 || gainDailyAmplitude != 0 || offsetKeVPerYear != 0 || offsetDailyKeV != 0
        || resolutionPerYear != 0 || !steps.isEmpty();
  }

  static DriftConfig bind(ConfigNode n) {
    double g = n.number("gainPerYear", 0);
    n.requireRange("gainPerYear", g, -0.5, 0.5);
    double gd = n.number("gainDailyAmplitude", 0);
    n.requireRange("gainDailyAmplitude", gd, 0, 0.1);
    double o = n.number("offsetKeVPerYear", 0);
    double od = n.number("offsetDailyKeV", 0);
    n.requireNonNegative("offsetDailyKeV", od);
    double r = n.number("resolutionPerYear", 0);
    n.requireRange("resolutionPerYear", r, -0.5, 5);
    List<Step> steps = n.has("steps") ? n.list("steps", Step::bind) : List.of();
    double pk = 0;
    double ph = 0;
    if (n.has("pulser")) {
      ConfigNode p = n.object("pulser");
      pk = p.requiredNumber("energyKeV");
      p.requirePositive("energyKeV", pk);
      ph = p.number("hz", 0.01);
      p.requireRange("hz", ph, 0, 1000);
    }
    return new DriftConfig(g, gd, o, od, r, steps, pk, ph);
  }
}
