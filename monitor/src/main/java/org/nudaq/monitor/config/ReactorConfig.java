package org.nudaq.monitor.config;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The reactor as the antineutrino source.
 *
 * @param thermalPowerMW         thermal power at full load, MW
 * @param distanceM              distance from the core centre to the detector, m
 * @param fluxOverridePerCm2PerS a measured or published flux (ν̄/cm²/s) that replaces the computed
 *                               one; the spectrum shape is kept
 * @param spectrumModel          parametrisation of the spectrum per fission above ~2 MeV
 * @param fissionFractions       fraction of fissions per isotope (keys u235, u238, pu239, pu241), sum 1
 * @param energyPerFissionMeV    energy released per fission per isotope, MeV
 */
public record ReactorConfig(
    double thermalPowerMW,
    double distanceM,
    OptionalDouble fluxOverridePerCm2PerS,
    SpectrumModel spectrumModel,
    Map<String, Double> fissionFractions,
    Map<String, Double> energyPerFissionMeV) {

  /** Isotope keys, in the order physics.md lists them. */
  public static final Set<String> ISOTOPES = Set.of("u235", "u238", "pu239", "pu241");

  /** Typical fractions of a pressurised-water reactor mid-cycle [physics.md, assumption]. */
  public static final Map<String, Double> DEFAULT_FISSION_FRACTIONS =
      Map.of("u235", 0.58, "pu239", 0.30, "u238", 0.07, "pu241", 0.05);

  /** Ma et al., PRC 88 (2013) 014605. */
  public static final Map<String, Double> DEFAULT_ENERGY_PER_FISSION_MEV =
      Map.of("u235", 202.36, "u238", 205.99, "pu239", 211.12, "pu241", 214.26);

  public ReactorConfig {
    fissionFractions = Map.copyOf(fissionFractions);
    energyPerFissionMeV = Map.copyOf(energyPerFissionMeV);
  }

  /** The antineutrino spectrum parametrisation above ~2 MeV. */
  public enum SpectrumModel {
    /** Huber (2011) for U235, Pu239, Pu241 and Mueller (2011) for U238, 5th-order polynomials. */
    HUBER_MUELLER,
    /** Vogel and Engel (1989), 2nd-order polynomials. */
    VOGEL_ENGEL
  }

  static ReactorConfig bind(ConfigNode n) {
    double power = n.requiredNumber("thermalPowerMW");
    n.requirePositive("thermalPowerMW", power);
    double distance = n.requiredNumber("distanceM");
    n.requirePositive("distanceM", distance);
    double flux = n.optionalNumber("fluxPerCm2PerS");
    n.requirePositive("fluxPerCm2PerS", flux);
    SpectrumModel model = n.choice("spectrumModel", SpectrumModel.class, SpectrumModel.HUBER_MUELLER);

    Map<String, Double> fractions = n.numberMap("fissionFractions", ISOTOPES, DEFAULT_FISSION_FRACTIONS);
    double sum = 0;
    for (Map.Entry<String, Double> e : fractions.entrySet()) {
      n.requireRange("fissionFractions." + e.getKey(), e.getValue(), 0, 1);
      sum += e.getValue();
    }
    if (Math.abs(sum - 1.0) > 1e-3) {
      n.error("fissionFractions", "must sum to 1, got " + ConfigNode.format(sum) + " " + fractions);
    }
    Map<String, Double> energies = n.numberMap("energyPerFissionMeV", ISOTOPES, DEFAULT_ENERGY_PER_FISSION_MEV);
    for (String iso : ISOTOPES) {
      if (!energies.containsKey(iso)) {
        n.error("energyPerFissionMeV", "needs a value for " + iso);
      } else {
        n.requireRange("energyPerFissionMeV." + iso, energies.get(iso), 150, 250);
      }
    }
    return new ReactorConfig(
        power,
        distance,
        Double.isNaN(flux) ? OptionalDouble.empty() : OptionalDouble.of(flux),
        model,
        fractions,
        energies);
  }
}
