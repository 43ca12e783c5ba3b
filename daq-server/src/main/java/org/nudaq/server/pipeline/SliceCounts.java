package org.nudaq.server.pipeline;

import java.util.Arrays;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.Spectrum;
import org.nudaq.monitor.spectrum.SpectrumLabels;

/**
 * The events of one data-quality slice that passed every other cut, held as bin counts (not as
 * events) until the slice is judged; merged into the analysis spectrum when it is good. Zero live
 * time: live time is booked separately. Single-threaded; allocation-free.
 */
final class SliceCounts implements Spectrum {
  private final SpectrumLabels labels;
  private final Binning binning;
  private final double massKg;
  private final long[] counts;
  private long inRange;
  private long underflow;
  private long overflow;
  private long invalid;

  SliceCounts(SpectrumLabels labels, Binning binning, double massKg) {
    this.labels = labels;
    this.binning = binning;
    this.massKg = massKg;
    this.counts = new long[binning.binCount()];
  }

  void fill(double energyKeV) {
    int bin = binning.binIndex(energyKeV);
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

  void reset() {
    if (entryCount() > 0) {
      Arrays.fill(counts, 0L);
    }
    inRange = 0;
    underflow = 0;
    overflow = 0;
    invalid = 0;
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
}
