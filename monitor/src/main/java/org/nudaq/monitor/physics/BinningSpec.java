package org.nudaq.monitor.physics;

import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requireNonNegative;
import static org.nudaq.monitor.physics.InvalidPhysicsParameterException.requirePositive;

/**
 * Uniform energy bins from {@code lowKeV} to {@code highKeV} of width {@code binWidthKeV} (default
 * 0.1 keV). The range must hold a whole number of bins (to 1e-6 of a bin). Immutable.
 */
public record BinningSpec(double lowKeV, double highKeV, double binWidthKeV) {

  public static final double DEFAULT_BIN_WIDTH_KEV = 0.1;

  public BinningSpec {
    requireNonNegative("lowKeV", lowKeV);
    requirePositive("highKeV", highKeV);
    requirePositive("binWidthKeV", binWidthKeV);
    if (!(highKeV > lowKeV)) {
      throw new InvalidPhysicsParameterException(
          "highKeV must exceed lowKeV: lowKeV=" + lowKeV + " highKeV=" + highKeV);
    }
    double bins = (highKeV - lowKeV) / binWidthKeV;
    if (Math.abs(bins - Math.rint(bins)) > 1e-6) {
      throw new InvalidPhysicsParameterException(
          "range must hold a whole number of bins: lowKeV=" + lowKeV + " highKeV=" + highKeV
              + " binWidthKeV=" + binWidthKeV);
    }
  }

  /** Bins of the default width 0.1 keV. */
  public static BinningSpec of(double lowKeV, double highKeV) {
    return new BinningSpec(lowKeV, highKeV, DEFAULT_BIN_WIDTH_KEV);
  }

  public int binCount() {
    return (int) Math.rint((highKeV - lowKeV) / binWidthKeV);
  }

  /** Lower edge of bin i (i = binCount() gives the upper edge of the last bin). */
  public double edgeKeV(int i) {
    return lowKeV + i * binWidthKeV;
  }
}
