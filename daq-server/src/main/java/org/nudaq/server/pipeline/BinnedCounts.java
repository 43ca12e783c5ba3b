package org.nudaq.server.pipeline;

import java.time.Instant;
import java.util.Arrays;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.Spectrum;
import org.nudaq.monitor.spectrum.SpectrumLabels;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;

/**
 * Counts per energy bin with underflow, overflow and invalid (NaN) counters, filled by bin index:
 * the pipeline looks the bin up once per event in an {@link AdcTable} instead of recomputing it from
 * the energy for every spectrum. Used for the pipeline's spectra and for the events of one
 * data-quality slice held until the slice is judged. Zero live time: live time is booked separately
 * and attached by {@link #snapshot(double, Instant)}. Single-threaded; allocation-free except
 * {@link #snapshot}.
 */
final class BinnedCounts implements Spectrum {
  private final SpectrumLabels labels;
  private final Binning binning;
  private final double massKg;
  private final long[] counts;
  private long inRange;
  private long underflow;
  private long overflow;
  private long invalid;

  BinnedCounts(SpectrumLabels labels, Binning binning, double massKg) {
    this.labels = labels;
    this.binning = binning;
    this.massKg = massKg;
    this.counts = new long[binning.binCount()];
  }

  /** Counts an energy, keV (as {@code EnergySpectrum.fill}). */
  void fill(double energyKeV) {
    fillBin(binning.binIndex(energyKeV));
  }

  /** Counts an event in a bin as returned by {@link Binning#binIndex(double)} (out-of-range values included). */
  void fillBin(int bin) {
    if (bin >= 0 && bin < counts.length) {
      counts[bin]++;
      inRange++;
    } else if (bin == Binning.UNDERFLOW) {
      underflow++;
    } else if (bin == Binning.INVALID) {
      invalid++;
    } else {
      overflow++;
    }
  }

  /** Adds everything counted in {@code other} (same binning). */
  void addAll(BinnedCounts other) {
    long[] c = other.counts;
    for (int i = 0; i < counts.length; i++) {
      counts[i] += c[i];
    }
    inRange += other.inRange;
    underflow += other.underflow;
    overflow += other.overflow;
    invalid += other.invalid;
  }

  void reset() {
    if (entryCount() > 0) {
      Arrays.fill(counts, 0L);
    }
    inRange = 0;
    underflow = 0;
    overflow = 0;
    invalid = 0;
  }

  /** An immutable copy with the given live time, s. */
  SpectrumSnapshot snapshot(double liveTimeSeconds, Instant takenAt) {
    return new SpectrumSnapshot(labels, binning, massKg, liveTimeSeconds, underflow, overflow, invalid, counts, takenAt);
  }

  @Override
  public SpectrumLabels labels() {
    return labels;
  }

  @Override
  public Binning binning() {
    return binning;
  }

  @Override
  public double massKg() {
    return massKg;
  }

  @Override
  public double liveTimeSeconds() {
    return 0.0;
  }

  @Override
  public long count(int bin) {
    return counts[bin];
  }

  @Override
  public long underflowCount() {
    return underflow;
  }

  @Override
  public long overflowCount() {
    return overflow;
  }

  @Override
  public long invalidCount() {
    return invalid;
  }

  @Override
  public long inRangeCount() {
    return inRange;
  }

  // --- checkpoints -----------------------------------------------------------------------------

  /** Writes the counts (every bin, and the out-of-range counters). */
  void saveState(StateWriter out) {
    out.putLongs(counts);
    out.putLong(inRange);
    out.putLong(underflow);
    out.putLong(overflow);
    out.putLong(invalid);
  }

  /** Restores what {@link #saveState} wrote (same binning required). */
  void restoreState(StateReader in) {
    in.getLongs(labels.name() + ".counts", counts);
    inRange = in.getLong();
    underflow = in.getLong();
    overflow = in.getLong();
    invalid = in.getLong();
  }
}
