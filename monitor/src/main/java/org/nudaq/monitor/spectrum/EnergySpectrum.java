package org.nudaq.monitor.spectrum;

import java.nio.LongBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A fixed-bin energy spectrum being filled: counts per bin, underflow/overflow/invalid counters and
 * the live time over which they were collected, for a detector of fixed mass.
 *
 * <p><b>Concurrency: single writer, not thread-safe.</b> One thread (the daemon's pipeline thread)
 * owns the spectrum and calls every method, including the getters, {@link #snapshot(Instant)} and
 * {@link #restore(SpectrumSnapshot)}. Other threads never touch it; they read the immutable
 * {@link SpectrumSnapshot}s the owner publishes (e.g. every second through a volatile field). Since
 * the owner takes the snapshot between two events, a snapshot is never torn: counts and live time
 * always belong together. A snapshot copies {@code binCount} longs (8 kB for 1000 bins).
 *
 * <p>{@link #fill(double)} and {@link #fillBin(int)} are the per-event hot path: no allocation, no boxing,
 * no exceptions. The daemon's pipeline fills by bin index (looked up once per event in its ADC table),
 * books live time itself in integer ns and attaches it with {@link #snapshot(double, Instant)}, and saves and
 * restores the counts with {@link #putCounts} and {@link #restoreCounts}.
 * Energies below the range count as underflow, at or above the high edge as overflow, and NaN as
 * invalid (so a broken calibration shows up instead of hiding in the underflow).
 *
 * <p>Live time is a double in seconds, summed in call order, so the same sequence of calls (e.g. a
 * replay) gives bit-identical results.
 */
public final class EnergySpectrum implements Spectrum {

  private final SpectrumLabels labels;
  private final Binning binning;
  private final double massKg;
  private final long[] counts;
  private long inRangeCount;
  private long underflowCount;
  private long overflowCount;
  private long invalidCount;
  private double liveTimeSeconds;

  /**
   * An empty spectrum with zero live time.
   *
   * @param labels name, detector, reactor state and stage
   * @param binning the bins
   * @param massKg detector mass, kg (finite, &gt; 0)
   */
  public EnergySpectrum(SpectrumLabels labels, Binning binning, double massKg) {
    this.labels = Objects.requireNonNull(labels, "spectrum: labels must not be null");
    this.binning = Objects.requireNonNull(binning, "spectrum: binning must not be null");
    SpectrumSnapshot.requireValidMass(massKg, "spectrum name=" + labels.name() + ": ");
    this.massKg = massKg;
    this.counts = new long[binning.binCount()];
  }

  /** A new spectrum with the labels, binning, mass and content of {@code snapshot}. */
  public static EnergySpectrum fromSnapshot(SpectrumSnapshot snapshot) {
    EnergySpectrum spectrum =
        new EnergySpectrum(snapshot.labels(), snapshot.binning(), snapshot.massKg());
    spectrum.restore(snapshot);
    return spectrum;
  }

  /**
   * Counts one event of energy {@code energyKeV} (keV) in its bin, or in the underflow, overflow or
   * invalid (NaN) counter. Allocation-free.
   */
  public void fill(double energyKeV) {
    fillBin(binning.binIndex(energyKeV));
  }

  /**
   * Counts one event in a bin as returned by {@link Binning#binIndex(double)}: in range, or the
   * {@link Binning#UNDERFLOW}, {@link Binning#INVALID} or overflow counter. Allocation-free.
   */
  public void fillBin(int bin) {
    if (bin >= 0 && bin < counts.length) {
      counts[bin]++;
      inRangeCount++;
    } else if (bin == Binning.UNDERFLOW) {
      underflowCount++;
    } else if (bin == Binning.INVALID) {
      invalidCount++;
    } else {
      overflowCount++;
    }
  }

  /**
   * A bulk fill in two steps, for a loop that counts many events of known in-range bins: counts one event
   * in {@code bin} (0 ≤ bin &lt; binCount) but not yet in {@link #inRangeCount()}; the loop adds how many
   * it counted with {@link #addInRangeCount} once, before anything reads this spectrum. The same counts
   * as {@link #fillBin} per event, without a counter updated per event. Allocation-free.
   *
   * @throws ArrayIndexOutOfBoundsException if {@code bin} is not a bin index
   */
  public void countInRangeBin(int bin) {
    counts[bin]++;
  }

  /** The second step of a bulk fill ({@link #countInRangeBin}): adds the events it counted. */
  public void addInRangeCount(long events) {
    inRangeCount += events;
  }

  /**
   * Adds live time (the time during which events were accepted into this spectrum).
   *
   * @param seconds live time to add, s (finite, &ge; 0)
   * @throws IllegalArgumentException if negative, NaN or infinite
   */
  public void addLiveTime(double seconds) {
    if (!(seconds >= 0.0) || !Double.isFinite(seconds)) {
      throw new IllegalArgumentException(
          "spectrum name=" + labels.name() + ": live time to add must be finite and >= 0, got seconds="
              + seconds);
    }
    liveTimeSeconds += seconds;
  }

  /**
   * Adds the content and live time of {@code other} (e.g. another run of the same detector); the
   * labels of this spectrum are kept. {@code other} must not be filled concurrently: to merge a
   * spectrum owned by another thread, merge a {@link SpectrumSnapshot} it published.
   *
   * @throws SpectrumMismatchException if the binning or the mass differ, or other is this spectrum
   */
  public void merge(Spectrum other) {
    Objects.requireNonNull(other, "merge: other must not be null");
    if (other == this) {
      throw new SpectrumMismatchException(
          "cannot merge spectrum name=" + labels.name() + " into itself");
    }
    requireCompatible(other, "merge");
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.count(i);
    }
    inRangeCount += other.inRangeCount();
    underflowCount += other.underflowCount();
    overflowCount += other.overflowCount();
    invalidCount += other.invalidCount();
    liveTimeSeconds += other.liveTimeSeconds();
  }

  /**
   * An immutable copy of the current state. Call from the owning thread only.
   *
   * @param takenAt the pipeline's current time (event time during replay, so replays are identical)
   */
  public SpectrumSnapshot snapshot(Instant takenAt) {
    return new SpectrumSnapshot(labels, binning, massKg, liveTimeSeconds, underflowCount,
        overflowCount, invalidCount, counts, takenAt);
  }

  /**
   * An immutable copy with {@code liveTimeSeconds} as its live time instead of the one added here, for an
   * owner that books live time elsewhere (the pipeline, in integer ns). Call from the owning thread only.
   *
   * @param liveTimeSeconds the live time of the copy, s
   * @param takenAt         the pipeline's current time
   */
  public SpectrumSnapshot snapshot(double liveTimeSeconds, Instant takenAt) {
    return new SpectrumSnapshot(labels, binning, massKg, liveTimeSeconds, underflowCount,
        overflowCount, invalidCount, counts, takenAt);
  }

  /** Writes the {@code binCount} counts, in bin order, to {@code out} (a bulk copy, for saving the state). */
  public void putCounts(LongBuffer out) {
    out.put(counts);
  }

  /**
   * Replaces counts and counters by saved ones ({@link #putCounts} and the four counters); the live time is
   * kept. For restoring a saved state, which is trusted to be consistent.
   *
   * @param savedCounts {@code binCount} counts in bin order
   */
  public void restoreCounts(LongBuffer savedCounts, long inRange, long underflow, long overflow, long invalid) {
    savedCounts.get(counts);
    inRangeCount = inRange;
    underflowCount = underflow;
    overflowCount = overflow;
    invalidCount = invalid;
  }

  /**
   * Replaces the whole state by the snapshot's, e.g. after a restart. The snapshot must be of this
   * spectrum: same labels, binning and mass.
   *
   * @throws SpectrumMismatchException otherwise, naming what differs
   */
  public void restore(SpectrumSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "restore: snapshot must not be null");
    if (!labels.equals(snapshot.labels())) {
      throw new SpectrumMismatchException(
          "cannot restore spectrum name=" + labels.name() + " from a snapshot of another spectrum: "
              + "labels differ (spectrum " + labels + ", snapshot " + snapshot.labels() + ")");
    }
    requireCompatible(snapshot, "restore");
    for (int i = 0; i < counts.length; i++) {
      counts[i] = snapshot.count(i);
    }
    inRangeCount = snapshot.inRangeCount();
    underflowCount = snapshot.underflowCount();
    overflowCount = snapshot.overflowCount();
    invalidCount = snapshot.invalidCount();
    liveTimeSeconds = snapshot.liveTimeSeconds();
  }

  /** Clears counts, counters and live time (e.g. at the start of a run). */
  public void reset() {
    if (inRangeCount != 0) { // only in-range events touch the bins: an empty reset is free (per data-quality slice)
      Arrays.fill(counts, 0L);
    }
    inRangeCount = 0;
    underflowCount = 0;
    overflowCount = 0;
    invalidCount = 0;
    liveTimeSeconds = 0.0;
  }

  private void requireCompatible(Spectrum other, String operation) {
    if (!binning.equals(other.binning())) {
      throw new SpectrumMismatchException(
          "cannot " + operation + " spectrum name=" + other.labels().name() + " into name="
              + labels.name() + ": binning differs (" + other.binning() + " vs " + binning + ")");
    }
    if (Double.compare(massKg, other.massKg()) != 0) {
      throw new SpectrumMismatchException(
          "cannot " + operation + " spectrum name=" + other.labels().name() + " into name="
              + labels.name() + ": massKg differs (" + other.massKg() + " vs " + massKg + ")");
    }
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
    return liveTimeSeconds;
  }

  @Override
  public long count(int bin) {
    return counts[bin];
  }

  @Override
  public long underflowCount() {
    return underflowCount;
  }

  @Override
  public long overflowCount() {
    return overflowCount;
  }

  @Override
  public long invalidCount() {
    return invalidCount;
  }

  @Override
  public long inRangeCount() {
    return inRangeCount;
  }

  @Override
  public String toString() {
    return "EnergySpectrum[" + labels + ", " + binning + ", massKg=" + massKg
        + ", liveTimeSeconds=" + liveTimeSeconds + ", inRange=" + inRangeCount + "]";
  }
}
