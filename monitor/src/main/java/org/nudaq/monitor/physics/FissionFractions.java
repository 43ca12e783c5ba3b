package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requireNonNegative;

/**
 * Fractions of fissions from each isotope (dimensionless, summing to 1 within 1e-3). The typical
 * values of physics.md are an assumption: U235 0.58, Pu239 0.30, U238 0.07, Pu241 0.05.
 */
public record FissionFractions(double u235, double u238, double pu239, double pu241) {

  /** Tolerance on the sum of the fractions. */
  public static final double SUM_TOLERANCE = 1e-3;

  public FissionFractions {
    requireNonNegative("u235", u235);
    requireNonNegative("u238", u238);
    requireNonNegative("pu239", pu239);
    requireNonNegative("pu241", pu241);
    double sum = u235 + u238 + pu239 + pu241;
    if (Math.abs(sum - 1.0) > SUM_TOLERANCE) {
      throw new InvalidPhysicsParameterException(
          "fission fractions must sum to 1: sum=" + sum + " u235=" + u235 + " u238=" + u238
              + " pu239=" + pu239 + " pu241=" + pu241);
    }
  }

  /** Typical fractions: U235 0.58, U238 0.07, Pu239 0.30, Pu241 0.05. */
  public static FissionFractions typical() {
    return new FissionFractions(0.58, 0.07, 0.30, 0.05);
  }

  public double of(FissionIsotope isotope) {
    return switch (isotope) {
      case U235 -> u235;
      case U238 -> u238;
      case PU239 -> pu239;
      case PU241 -> pu241;
    };
  }
}
