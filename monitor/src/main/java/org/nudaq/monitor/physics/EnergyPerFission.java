package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requirePositive;

/**
 * Thermal energy released per fission of each isotope, in MeV. Defaults from Ma et al., PRC 88
 * (2013) 014605: U235 202.36, U238 205.99, Pu239 211.12, Pu241 214.26.
 */
public record EnergyPerFission(double u235MeV, double u238MeV, double pu239MeV, double pu241MeV) {

  public EnergyPerFission {
    requirePositive("u235MeV", u235MeV);
    requirePositive("u238MeV", u238MeV);
    requirePositive("pu239MeV", pu239MeV);
    requirePositive("pu241MeV", pu241MeV);
  }

  /** Ma et al. (2013) values. */
  public static EnergyPerFission ma2013() {
    return new EnergyPerFission(202.36, 205.99, 211.12, 214.26);
  }

  public double of(FissionIsotope isotope) {
    return switch (isotope) {
      case U235 -> u235MeV;
      case U238 -> u238MeV;
      case PU239 -> pu239MeV;
      case PU241 -> pu241MeV;
    };
  }

  /** Mean energy per fission Σ f_i ε_i in MeV for the given fractions. */
  public double meanMeV(FissionFractions fractions) {
    double sum = 0.0;
    for (FissionIsotope isotope : FissionIsotope.values()) {
      sum += fractions.of(isotope) * of(isotope);
    }
    return sum;
  }
}
