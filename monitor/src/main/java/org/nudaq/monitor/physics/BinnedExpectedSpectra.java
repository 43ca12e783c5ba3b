package org.nudaq.monitor.physics;

/**
 * Expected signal spectra after detector response, in counts/(keV·kg·day) per bin, with bin i
 * between {@code binEdgesKeV[i]} and {@code binEdgesKeV[i+1]}:
 *
 * <ul>
 *   <li>{@code weakPerKeVKgDay}: Standard-Model weak scattering;
 *   <li>{@code muUnitPerKeVKgDay}: magnetic-moment scattering for μν = {@code muUnitInMuB} μB (1e-11),
 *       i.e. per (1e-11 μB)²; multiply by (μν/1e-11 μB)²;
 *   <li>{@code qUnitPerKeVKgDay}: millicharge scattering for qν = {@code qUnitInE0} e0 (1e-12), i.e.
 *       per (1e-12 e0)²; multiply by (qν/1e-12 e0)².
 * </ul>
 *
 * <p>Arrays are copied in and out, so an instance is immutable and thread-safe ({@code equals}
 * compares the arrays by reference, as for any record with array components).
 */
public record BinnedExpectedSpectra(
    double[] binEdgesKeV,
    double[] weakPerKeVKgDay,
    double[] muUnitPerKeVKgDay,
    double[] qUnitPerKeVKgDay,
    double muUnitInMuB,
    double qUnitInE0) {

  /** μν of the unit spectrum, in μB. */
  public static final double MU_UNIT_MUB = 1e-11;

  /** qν of the unit spectrum, in e0. */
  public static final double Q_UNIT_E0 = 1e-12;

  public BinnedExpectedSpectra {
    int bins = binEdgesKeV.length - 1;
    if (bins < 1
        || weakPerKeVKgDay.length != bins
        || muUnitPerKeVKgDay.length != bins
        || qUnitPerKeVKgDay.length != bins) {
      throw new IllegalArgumentException(
          "array lengths disagree: edges=" + binEdgesKeV.length + " weak=" + weakPerKeVKgDay.length
              + " mu=" + muUnitPerKeVKgDay.length + " q=" + qUnitPerKeVKgDay.length);
    }
    binEdgesKeV = binEdgesKeV.clone();
    weakPerKeVKgDay = weakPerKeVKgDay.clone();
    muUnitPerKeVKgDay = muUnitPerKeVKgDay.clone();
    qUnitPerKeVKgDay = qUnitPerKeVKgDay.clone();
  }

  public int binCount() {
    return weakPerKeVKgDay.length;
  }

  public double binCenterKeV(int i) {
    return 0.5 * (binEdgesKeV[i] + binEdgesKeV[i + 1]);
  }

  @Override
  public double[] binEdgesKeV() {
    return binEdgesKeV.clone();
  }

  @Override
  public double[] weakPerKeVKgDay() {
    return weakPerKeVKgDay.clone();
  }

  @Override
  public double[] muUnitPerKeVKgDay() {
    return muUnitPerKeVKgDay.clone();
  }

  @Override
  public double[] qUnitPerKeVKgDay() {
    return qUnitPerKeVKgDay.clone();
  }
}
