package org.nudaq.monitor.config;

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
    double updateIntervalSeconds) {

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
    return new AnalysisConfig(low, high, width, wLow, wHigh, cl, method, on, off, mu, q, update);
  }
}
