package org.nudaq.monitor.spectrum;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable copy of an {@link EnergySpectrum} at one moment: what readers (web page, JSON API,
 * limits) see and what is written to disk so spectra survive restarts.
 *
 * <p>The counts array is copied on construction and by {@link #counts()}; use {@link #count(int)}
 * to read bins without copying. Immutable and thread-safe, so it can be published to any thread
 * through a volatile field or a queue.
 *
 * @param labels name, detector, reactor state and stage
 * @param binning the bins
 * @param massKg detector mass, kg (finite, &gt; 0)
 * @param liveTimeSeconds accumulated live time, s (finite, &ge; 0)
 * @param underflowCount entries below the first bin (&ge; 0)
 * @param overflowCount entries at or above the last edge (&ge; 0)
 * @param invalidCount entries with a NaN energy (&ge; 0)
 * @param counts counts per bin, length {@code binning.binCount()}, each &ge; 0
 * @param takenAt when the snapshot was taken, in the pipeline's time (event time during replay)
 */
public record SpectrumSnapshot(
    SpectrumLabels labels,
    Binning binning,
    double massKg,
    double liveTimeSeconds,
    long underflowCount,
    long overflowCount,
    long invalidCount,
    long[] counts,
    Instant takenAt)
    implements Spectrum {

  /** Validates and copies the counts; messages name the spectrum and the field. */
  public SpectrumSnapshot {
    Objects.requireNonNull(labels, "snapshot: labels must not be null");
    Objects.requireNonNull(binning, "snapshot: binning must not be null");
    Objects.requireNonNull(counts, "snapshot: counts must not be null");
    Objects.requireNonNull(takenAt, "snapshot: takenAt must not be null");
    String where = "snapshot name=" + labels.name() + ": ";
    requireValidMass(massKg, where);
    requireValidLiveTime(liveTimeSeconds, where);
    requireNonNegative(underflowCount, "underflowCount", where);
    requireNonNegative(overflowCount, "overflowCount", where);
    requireNonNegative(invalidCount, "invalidCount", where);
    if (counts.length != binning.binCount()) {
      throw new IllegalArgumentException(
          where + "counts has " + counts.length + " entries, expected binCount="
              + binning.binCount());
    }
    counts = counts.clone();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException(where + "counts[" + i + "]=" + counts[i] + " is negative");
      }
    }
  }

  /** A copy of the counts per bin. */
  @Override
  public long[] counts() {
    return counts.clone();
  }

  @Override
  public long count(int bin) {
    return counts[bin];
  }

  @Override
  public long inRangeCount() {
    long sum = 0;
    for (long n : counts) {
      sum += n;
    }
    return sum;
  }

  /** Value equality, including the counts array (a record compares arrays by reference). */
  @Override
  public boolean equals(Object o) {
    return o instanceof SpectrumSnapshot other
        && labels.equals(other.labels)
        && binning.equals(other.binning)
        && Double.compare(massKg, other.massKg) == 0
        && Double.compare(liveTimeSeconds, other.liveTimeSeconds) == 0
        && underflowCount == other.underflowCount
        && overflowCount == other.overflowCount
        && invalidCount == other.invalidCount
        && takenAt.equals(other.takenAt)
        && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(labels, binning, massKg, liveTimeSeconds, underflowCount, overflowCount,
        invalidCount, takenAt);
    return 31 * h + Arrays.hashCode(counts);
  }

  /** A short description; the counts are summarised, not listed. */
  @Override
  public String toString() {
    return "SpectrumSnapshot[" + labels + ", " + binning + ", massKg=" + massKg
        + ", liveTimeSeconds=" + liveTimeSeconds + ", inRange=" + inRangeCount()
        + ", underflow=" + underflowCount + ", overflow=" + overflowCount
        + ", invalid=" + invalidCount + ", takenAt=" + takenAt + "]";
  }

  static void requireValidMass(double massKg, String where) {
    if (!(massKg > 0.0) || !Double.isFinite(massKg)) {
      throw new IllegalArgumentException(where + "massKg must be finite and > 0, got massKg=" + massKg);
    }
  }

  static void requireValidLiveTime(double liveTimeSeconds, String where) {
    if (!(liveTimeSeconds >= 0.0) || !Double.isFinite(liveTimeSeconds)) {
      throw new IllegalArgumentException(
          where + "liveTimeSeconds must be finite and >= 0, got liveTimeSeconds=" + liveTimeSeconds);
    }
  }

  private static void requireNonNegative(long value, String field, String where) {
    if (value < 0) {
      throw new IllegalArgumentException(where + field + "=" + value + " is negative");
    }
  }
}
