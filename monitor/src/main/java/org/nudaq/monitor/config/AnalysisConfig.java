package org.nudaq.monitor.config;

import java.util.List;

/**
 * How spectra are binned and limits are set.
 *
 * @param spectrumLowKeV     lower edge of the recorded spectra, keV
 * @param spectrumHighKeV    upper edge of the recorded spectra, keV
 * @param binWidthKeV        bin width, keV (0.1 by default)
 * @param windowLowKeV       lower edge of the analysis window, keV (usually the threshold)
 * @param windowHighKeV      upper edge of the analysis window, keV
 * @param confidenceLevel    confidence level of the upper limits (0.90)
 * @param limitMethod        interval construction for the Gaussian estimate
 * @param nominalOnHours     reactor-ON live time of the profile's nominal exposure, hours (for
 *                           expected sensitivity)
 * @param nominalOffHours    reactor-OFF live time of the nominal exposure, hours
 * @param publishedMuLimitMuB the experiment's published μν limit (90% CL) in Bohr magnetons, or NaN
 * @param publishedQLimitE0  the published |qν| limit (90% CL) in units of e0, or NaN
 * @param updateIntervalSeconds how often the daemon recomputes the running limits, s
 * @param lineTreatment      how decaying X-ray lines are kept out of the signal ({@code mask})
 * @param lineMaskSigmas     k of the mask: each line excludes the bins within ±k σ of the
 *                           detector's resolution at its energy (3)
 * @param lines              the lines to treat (defaults: the table of physics.md)
 * @param minCountsPerMergedBin expected ON and OFF counts per merged bin of the few-count
 *                           construction (20); 0 turns the merging off
 * @param systematics        the nuisance parameters of the systematic fit ({@code systematics})
 * @param crossSections      the cross-section model of each parameter ({@code crossSections})
 */
public record AnalysisConfig(
    double spectrumLowKeV,
    double spectrumHighKeV,
    double binWidthKeV,
    double windowLowKeV,
    double windowHighKeV,
    double confidenceLevel,
    LimitMethod limitMethod,
    double nominalOnHours,
    double nominalOffHours,
    double publishedMuLimitMuB,
    double publishedQLimitE0,
    double updateIntervalSeconds,
    LineTreatment lineTreatment,
    double lineMaskSigmas,
    List<Line> lines,
    long minCountsPerMergedBin,
    SystematicsConfig systematics,
    CrossSectionConfig crossSections) {

  public AnalysisConfig {
    lines = List.copyOf(lines);
  }

  /** How decaying lines are kept out of the neutrino signal. */
  public enum LineTreatment {
    /** Exclude ±k σ around each line from the likelihood and the sensitivity (the default). */
    MASK,
    /** Fit decaying line amplitudes jointly to ON and OFF: not implemented, rejected at load. */
    FIT,
    /** No treatment: only for line-free data or to measure what the mask costs. */
    NONE
  }

  /**
   * A decaying X-ray line of the crystal.
   *
   * @param name         label, e.g. {@code Ga-K}
   * @param parent       the parent nuclide(s), e.g. {@code 68Ge}; empty when not given
   * @param energyKeV    line energy, keV
   * @param halfLifeDays the parent's half-life, days, or NaN when not given (the mask does not use
   *                     it; a fit would)
   */
  public record Line(String name, String parent, double energyKeV, double halfLifeDays) {
    static Line bind(ConfigNode n) {
      String name = n.text("name", "line");
      String parent = n.text("parent", "");
      double e = n.requiredNumber("energyKeV");
      n.requirePositive("energyKeV", e);
      double t = n.optionalNumber("halfLifeDays");
      n.requirePositive("halfLifeDays", t);
      return new Line(name, parent, e, t);
    }
  }

  /**
   * The lines of physics.md ("Energy calibration lines", energies [V]) with their parents.
   * Half-lives: 68Ge 271 d, 71Ge 11.4 d, 65Zn 244 d, 55Fe 2.74 y from physics.md; 57Co 271.7 d,
   * 54Mn 312 d, 49V 330 d as the simulator uses them; Zn-K and Zn-L follow 68Ga, which lives as
   * long as its parent 68Ge. physics.md names no parent for Ni-K and V-K: NaN (the mask does not
   * need one).
   */
  public static final List<Line> DEFAULT_LINES = List.of(
      new Line("Ga-K", "68Ge/71Ge", 10.37, 271),
      new Line("Zn-K", "68Ga (68Ge)", 9.66, 271),
      new Line("Cu-K", "65Zn", 8.98, 244),
      new Line("Ni-K", "", 8.33, Double.NaN),
      new Line("Fe-K", "57Co", 7.11, 271.7),
      new Line("Mn-K", "55Fe", 6.54, 2.74 * 365.25),
      new Line("Cr-K", "54Mn", 5.99, 312),
      new Line("V-K", "", 5.47, Double.NaN),
      new Line("Ti-K", "49V", 4.97, 330),
      new Line("Ga-L", "68Ge/71Ge", 1.30, 271),
      new Line("Zn-L", "68Ga (68Ge)", 1.10, 271));

  /** Default k of the line mask, in σ of the resolution. */
  public static final double DEFAULT_LINE_MASK_SIGMAS = 3.0;

  /** Upper-limit construction for a Gaussian estimate with the physical boundary X ≥ 0. */
  public enum LimitMethod {
    FELDMAN_COUSINS,
    BAYESIAN_FLAT
  }

  /** Number of bins of the recorded spectra. */
  public int binCount() {
    return (int) Math.round((spectrumHighKeV - spectrumLowKeV) / binWidthKeV);
  }

  static AnalysisConfig bind(ConfigNode n, double lowestThresholdKeV) {
    double low = n.number("spectrumLowKeV", 0.0);
    n.requireNonNegative("spectrumLowKeV", low);
    double high = n.number("spectrumHighKeV", 100.0);
    double width = n.number("binWidthKeV", 0.1);
    n.requireRange("binWidthKeV", width, 0.001, 10);
    if (high <= low) {
      n.error("spectrumHighKeV", "must be > spectrumLowKeV (" + ConfigNode.format(low) + "), got " + ConfigNode.format(high));
    } else if (width > 0) {
      double bins = (high - low) / width;
      if (Math.abs(bins - Math.rint(bins)) > 1e-6) {
        n.error("binWidthKeV", "must divide the spectrum range " + ConfigNode.format(low) + ".." + ConfigNode.format(high)
            + " keV into whole bins, got " + ConfigNode.format(width));
      } else if (bins > 1_000_000) {
        n.error("binWidthKeV", "gives " + (long) bins + " bins; at most 1000000 are allowed");
      }
    }
    double wLow = n.number("windowLowKeV", Double.isNaN(lowestThresholdKeV) ? low : lowestThresholdKeV);
    double wHigh = n.requiredNumber("windowHighKeV");
    if (!Double.isNaN(wLow) && !Double.isNaN(wHigh)) {
      if (wHigh <= wLow) {
        n.error("windowHighKeV", "must be > windowLowKeV (" + ConfigNode.format(wLow) + "), got " + ConfigNode.format(wHigh));
      }
      if (wLow < low || wHigh > high) {
        n.error("windowLowKeV", "the analysis window " + ConfigNode.format(wLow) + ".." + ConfigNode.format(wHigh)
            + " keV must lie inside the spectrum range " + ConfigNode.format(low) + ".." + ConfigNode.format(high) + " keV");
      }
    }
    double cl = n.number("confidenceLevel", 0.90);
    if (!(cl > 0.5 && cl < 0.9999)) {
      n.error("confidenceLevel", "must be between 0.5 and 0.9999 (exclusive), got " + ConfigNode.format(cl));
    }
    LimitMethod method = n.choice("limitMethod", LimitMethod.class, LimitMethod.FELDMAN_COUSINS);
    double on = n.number("nominalOnHours", 8760);
    n.requirePositive("nominalOnHours", on);
    double off = n.number("nominalOffHours", 2190);
    n.requirePositive("nominalOffHours", off);
    double mu = n.optionalNumber("publishedMuLimitMuB");
    n.requirePositive("publishedMuLimitMuB", mu);
    double q = n.optionalNumber("publishedQLimitE0");
    n.requirePositive("publishedQLimitE0", q);
    double update = n.number("updateIntervalSeconds", 10);
    n.requireRange("updateIntervalSeconds", update, 0.1, 86400);
    LineTreatment treatment = n.choice("lineTreatment", LineTreatment.class, LineTreatment.MASK);
    if (treatment == LineTreatment.FIT) {
      n.error("lineTreatment", "fit is not implemented in this version; use mask (or none)");
    }
    double k = n.number("lineMaskSigmas", DEFAULT_LINE_MASK_SIGMAS);
    n.requireRange("lineMaskSigmas", k, 0, 10);
    List<Line> lines = n.has("lines") ? n.list("lines", Line::bind) : DEFAULT_LINES;
    double merged = n.number("minCountsPerMergedBin", 20);
    n.requireRange("minCountsPerMergedBin", merged, 0, 1e6);
    if (merged != Math.rint(merged)) {
      n.error("minCountsPerMergedBin", "must be a whole number, got " + ConfigNode.format(merged));
    }
    SystematicsConfig systematics = SystematicsConfig.bind(n.object("systematics"));
    CrossSectionConfig crossSections = CrossSectionConfig.bind(n.object("crossSections"));
    return new AnalysisConfig(low, high, width, wLow, wHigh, cl, method, on, off, mu, q, update,
        treatment, k, lines, (long) merged, systematics, crossSections);
  }
}
