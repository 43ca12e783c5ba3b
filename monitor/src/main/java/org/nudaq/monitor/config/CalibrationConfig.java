package org.nudaq.monitor.config;

/**
 * Online energy calibration (issue 17): which known lines the daemon looks for in each HPGe channel's
 * recent raw (ADC) spectrum, how often and over how much data it fits them, and when a change of the
 * energy scale counts as a sudden step. Disabled by default: the channel's configured polynomial is then
 * used throughout, as before. Immutable.
 *
 * @param enabled              fit and apply calibrations online
 * @param linesKeV             energies of the lines to find, keV (default: the cosmogenic X-ray lines of
 *                             physics.md); a line below the detector threshold + 2 FWHM is not used
 * @param pulserKeV            energy of a pulser line to use as well, keV (0: none)
 * @param terms                which terms of the linear energy scale are fitted
 * @param intervalHours        data time between two fits, h
 * @param windowDays           the recent spectrum: the last this much data time (restarted at a step), days
 * @param minLineCounts        net counts a line needs to count in a fit
 * @param minLines             lines a fit needs (at least 1 for GAIN, 2 for GAIN_OFFSET and QUADRATIC)
 * @param searchPercent        the peak-pattern search spans ± this much of the current gain until the first
 *                             calibration is applied, half of it from then on and for the step test, %
 * @param stepDays             a sudden step counts once at least this much data time after it confirms it, days
 * @param stepSigmas           a step is a jump of the intervals' gains at one boundary, on top of a linear
 *                             drift, beyond this many standard errors ...
 * @param stepMinPercent       ... and beyond this relative gain change, %
 * @param alarmShiftKeV        a line moving more than this from its energy under the previous epoch's
 *                             calibration is reported (metric and alert), keV
 * @param maxGainErrPercent    a fit whose gain is less certain than this (one standard error, %) is not applied
 *                             (too few counts): a noisy calibration would widen the lines it should sharpen
 */
public record CalibrationConfig(boolean enabled, double[] linesKeV, double pulserKeV, Terms terms, double intervalHours,
    double windowDays, double minLineCounts, int minLines, double searchPercent, double stepDays, double stepSigmas,
    double stepMinPercent, double alarmShiftKeV, double maxGainErrPercent) {

  /** What the fit of the energy scale E = offset + gain·adc determines. */
  public enum Terms {
    /** Only the gain; the offset stays the channel's configured one (lines close together in energy). */
    GAIN,
    /** Gain and offset (lines, or a pulser, spread over the range). */
    GAIN_OFFSET,
    /**
     * Offset, gain and a quadratic term, E = c0 + c1·adc + c2·adc² (polynomial order 2), when at least three
     * lines fitted on disjoint data span {@code QuadraticScaleFit.MIN_SPAN_KEV}; otherwise gain and offset, and the
     * calibration's message says so.
     */
    QUADRATIC
  }

  /** Energies of the calibration lines in physics.md, keV [V]. */
  public static final double[] DEFAULT_LINES_KEV = {10.37, 9.66, 8.98, 8.33, 7.11, 6.54, 5.99, 5.47, 4.97, 1.30, 1.10};

  /** Online calibration off. */
  public static final CalibrationConfig DISABLED = new CalibrationConfig(false, DEFAULT_LINES_KEV, 0, Terms.GAIN, 24, 30,
      100, 1, 3, 3, 5, 0.1, 0.05, 0.25);

  public CalibrationConfig {
    linesKeV = linesKeV.clone();
  }

  @Override
  public double[] linesKeV() {
    return linesKeV.clone();
  }

  /** A copy with online calibration on or off. */
  public CalibrationConfig withEnabled(boolean on) {
    return new CalibrationConfig(on, linesKeV, pulserKeV, terms, intervalHours, windowDays, minLineCounts, minLines,
        searchPercent, stepDays, stepSigmas, stepMinPercent, alarmShiftKeV, maxGainErrPercent);
  }

  /** Data time between two fits, ns. */
  public long intervalNs() {
    return Math.round(intervalHours * 3600e9);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CalibrationConfig c && c.enabled == enabled && java.util.Arrays.equals(c.linesKeV, linesKeV)
        && c.pulserKeV == pulserKeV && c.terms == terms && c.intervalHours == intervalHours && c.windowDays == windowDays
        && c.minLineCounts == minLineCounts && c.minLines == minLines && c.searchPercent == searchPercent
        && c.stepDays == stepDays && c.stepSigmas == stepSigmas && c.stepMinPercent == stepMinPercent
        && c.alarmShiftKeV == alarmShiftKeV && c.maxGainErrPercent == maxGainErrPercent;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(enabled, java.util.Arrays.hashCode(linesKeV), pulserKeV, terms, intervalHours, windowDays);
  }

  @Override
  public String toString() {
    return "CalibrationConfig[enabled=" + enabled + ", linesKeV=" + java.util.Arrays.toString(linesKeV) + ", pulserKeV="
        + pulserKeV + ", terms=" + terms + ", intervalHours=" + intervalHours + ", windowDays=" + windowDays + "]";
  }

  static CalibrationConfig bind(ConfigNode n) {
    CalibrationConfig d = DISABLED;
    boolean enabled = n.bool("enabled", false);
    double[] lines = n.numbers("linesKeV", DEFAULT_LINES_KEV);
    for (double e : lines) {
      if (!(e > 0)) {
        n.error("linesKeV", "energies must be > 0 keV, got " + ConfigNode.format(e));
      }
    }
    double pulser = n.number("pulserKeV", 0);
    n.requireNonNegative("pulserKeV", pulser);
    Terms terms = n.choice("terms", Terms.class, Terms.GAIN);
    double interval = n.number("intervalHours", d.intervalHours);
    n.requireRange("intervalHours", interval, 0.01, 24 * 365);
    double window = n.number("windowDays", d.windowDays);
    n.requireRange("windowDays", window, interval / 24, 3650);
    double minCounts = n.number("minLineCounts", d.minLineCounts);
    n.requireRange("minLineCounts", minCounts, 10, 1e9);
    int minLines = n.integer("minLines", terms == Terms.GAIN ? 1 : 2); // QUADRATIC: 2, for the linear fall-back
    if (minLines < (terms == Terms.GAIN ? 1 : 2)) {
      n.error("minLines", "must be at least " + (terms == Terms.GAIN ? 1 : 2) + " for terms " + ConfigNode.yamlName(terms)
          + ", got " + minLines);
    }
    double search = n.number("searchPercent", d.searchPercent);
    n.requireRange("searchPercent", search, 0.01, 30);
    double stepDays = n.number("stepDays", d.stepDays);
    n.requireRange("stepDays", stepDays, interval / 24, window);
    double stepSigmas = n.number("stepSigmas", d.stepSigmas);
    n.requireRange("stepSigmas", stepSigmas, 1, 100);
    double stepMin = n.number("stepMinPercent", d.stepMinPercent);
    n.requireRange("stepMinPercent", stepMin, 0, 30);
    double alarm = n.number("alarmShiftKeV", d.alarmShiftKeV);
    n.requirePositive("alarmShiftKeV", alarm);
    double maxErr = n.number("maxGainErrPercent", d.maxGainErrPercent);
    n.requireRange("maxGainErrPercent", maxErr, 1e-4, 10);
    return new CalibrationConfig(enabled, lines, pulser, terms, interval, window, minCounts, minLines, search, stepDays,
        stepSigmas, stepMin, alarm, maxErr);
  }
}
