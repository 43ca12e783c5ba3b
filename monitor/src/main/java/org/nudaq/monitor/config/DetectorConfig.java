package org.nudaq.monitor.config;

/**
 * One HPGe crystal and its response.
 *
 * @param name                   unique name, used in metrics labels and file names
 * @param massKg                 active (fiducial) germanium mass, kg
 * @param thresholdKeV           energy threshold, keV (50% efficiency point)
 * @param thresholdWidthKeV      width (σ of the error-function step) of the threshold efficiency, keV
 * @param noiseFwhmKeV           electronic-noise FWHM, keV (the resolution at zero energy)
 * @param fanoFactor             Fano factor of Ge for the statistical part of the resolution
 * @param pairEnergyEV           mean energy per electron-hole pair in Ge, eV
 * @param backgroundPerKeVKgDay  flat background after the veto, counts/(keV·kg·day)
 */
public record DetectorConfig(
    String name,
    double massKg,
    double thresholdKeV,
    double thresholdWidthKeV,
    double noiseFwhmKeV,
    double fanoFactor,
    double pairEnergyEV,
    double backgroundPerKeVKgDay) {

  public static final double DEFAULT_FANO_FACTOR = 0.11;
  public static final double DEFAULT_PAIR_ENERGY_EV = 2.96;

  static DetectorConfig bind(ConfigNode n) {
    String name = n.text("name", null);
    if (name == null || name.isBlank()) {
      n.error("name", "is required (a short name such as hpge-1)");
      name = "?";
    } else if (!name.matches("[A-Za-z0-9_.-]+")) {
      n.error("name", "may hold only letters, digits, '.', '_' and '-', got '" + name + "'");
    }
    double mass = n.requiredNumber("massKg");
    n.requirePositive("massKg", mass);
    double threshold = n.requiredNumber("thresholdKeV");
    n.requirePositive("thresholdKeV", threshold);
    double width = n.number("thresholdWidthKeV", 0.1);
    n.requirePositive("thresholdWidthKeV", width);
    double noise = n.requiredNumber("noiseFwhmKeV");
    n.requirePositive("noiseFwhmKeV", noise);
    double fano = n.number("fanoFactor", DEFAULT_FANO_FACTOR);
    n.requireRange("fanoFactor", fano, 0.01, 1);
    double pair = n.number("pairEnergyEV", DEFAULT_PAIR_ENERGY_EV);
    n.requireRange("pairEnergyEV", pair, 1, 10);
    double background = n.requiredNumber("backgroundPerKeVKgDay");
    n.requireNonNegative("backgroundPerKeVKgDay", background);
    return new DetectorConfig(name, mass, threshold, width, noise, fano, pair, background);
  }
}
