package org.nudaq.monitor.spectrum;

/**
 * Read access to a fixed-bin energy spectrum and its normalisation to counts/(keV·kg·day).
 *
 * <p>Normalised value of bin i: {@code n_i / (binWidthKeV · massKg · liveTimeDays)} with
 * {@code liveTimeDays = liveTimeSeconds / 86400}; its statistical error is {@code sqrt(n_i)}
 * normalised the same way (so an empty bin has error 0: these errors are for display, the limit
 * calculation uses Poisson likelihoods on the counts). Normalising a spectrum with zero live time
 * is undefined and throws {@link IllegalStateException}.
 *
 * <p>Thread-safety is that of the implementation: {@link SpectrumSnapshot} is immutable,
 * {@link EnergySpectrum} belongs to one thread.
 */
public interface Spectrum {

  /** Seconds in a day, for live time in days and exposure in kg·day. */
  double SECONDS_PER_DAY = 86_400.0;

  /** Name, detector, reactor state and stage. */
  SpectrumLabels labels();

  /** The bins. */
  Binning binning();

  /** Detector (fiducial) mass, kg. */
  double massKg();

  /** Accumulated live time, s. */
  double liveTimeSeconds();

  /** Counts in bin {@code bin} (0..binCount-1). */
  long count(int bin);

  /** Entries below {@code binning().lowKeV()}. */
  long underflowCount();

  /** Entries at or above {@code binning().highKeV()}. */
  long overflowCount();

  /** Entries with a NaN energy, kept apart from underflow so a broken calibration is visible. */
  long invalidCount();

  /** Sum of the counts of all bins (underflow, overflow and invalid excluded). */
  long inRangeCount();

  /** Every entry filled: in range + underflow + overflow + invalid. */
  default long entryCount() {
    return inRangeCount() + underflowCount() + overflowCount() + invalidCount();
  }

  /** Live time, days. */
  default double liveTimeDays() {
    return liveTimeSeconds() / SECONDS_PER_DAY;
  }

  /** Exposure: mass × live time, kg·day. */
  default double exposureKgDays() {
    return massKg() * liveTimeDays();
  }

  /**
   * Writes counts/(keV·kg·day) of every bin into {@code out} (length binCount). Allocation-free.
   *
   * @throws IllegalStateException if the live time is zero
   * @throws IllegalArgumentException if {@code out} has the wrong length
   */
  default void countsPerKeVKgDay(double[] out) {
    double denominator = normalisationDenominator(out);
    for (int i = 0; i < out.length; i++) {
      out[i] = count(i) / denominator;
    }
  }

  /** {@link #countsPerKeVKgDay(double[])} into a new array. */
  default double[] countsPerKeVKgDay() {
    double[] out = new double[binning().binCount()];
    countsPerKeVKgDay(out);
    return out;
  }

  /**
   * Writes the statistical error {@code sqrt(n_i)} in counts/(keV·kg·day) of every bin into
   * {@code out} (length binCount). Allocation-free.
   *
   * @throws IllegalStateException if the live time is zero
   * @throws IllegalArgumentException if {@code out} has the wrong length
   */
  default void errorsPerKeVKgDay(double[] out) {
    double denominator = normalisationDenominator(out);
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.sqrt((double) count(i)) / denominator;
    }
  }

  /** {@link #errorsPerKeVKgDay(double[])} into a new array. */
  default double[] errorsPerKeVKgDay() {
    double[] out = new double[binning().binCount()];
    errorsPerKeVKgDay(out);
    return out;
  }

  /** {@code binWidthKeV · massKg · liveTimeDays}, after checking live time and output length. */
  private double normalisationDenominator(double[] out) {
    int binCount = binning().binCount();
    if (out.length != binCount) {
      throw new IllegalArgumentException(
          "spectrum name=" + labels().name() + ": output array has length " + out.length
              + ", expected binCount=" + binCount);
    }
    double liveTimeSeconds = liveTimeSeconds();
    if (!(liveTimeSeconds > 0.0)) {
      throw new IllegalStateException(
          "spectrum name=" + labels().name() + ": cannot normalise to counts/keV/kg/day with "
              + "liveTimeSeconds=" + liveTimeSeconds + " (no live time accumulated)");
    }
    return binning().binWidthKeV() * massKg() * (liveTimeSeconds / SECONDS_PER_DAY);
  }
}
