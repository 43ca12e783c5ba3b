package org.nudaq.monitor.spectrum;

/**
 * Fixed-width energy binning: {@code binCount} bins of {@code binWidthKeV} starting at {@code lowKeV}.
 *
 * <p>Edges are defined by one formula, {@link #lowEdgeKeV(int)} = {@code lowKeV + i * binWidthKeV}
 * evaluated in double arithmetic, and {@link #binIndex(double)} is exactly consistent with it: bin
 * {@code i} holds energies with {@code lowEdgeKeV(i) <= E < lowEdgeKeV(i + 1)}. An energy exactly on
 * an edge therefore goes to the upper bin. Note that the edge is the double produced by that formula
 * (with 0.1 keV bins, {@code lowEdgeKeV(3)} is {@code 0.30000000000000004}, so the literal
 * {@code 0.3} falls in bin 2); calibrations should not use a gain equal to the bin width, or the
 * rounding of {@code gain * adc} scatters ADC channels between neighbouring bins.
 *
 * <p>Out-of-range results of {@link #binIndex(double)}: {@link #UNDERFLOW} for {@code E < lowKeV}
 * (including −∞), {@code binCount} for {@code E >= highKeV()} (including +∞) and {@link #INVALID}
 * for NaN.
 *
 * <p>Immutable and thread-safe. {@link #binIndex(double)} allocates nothing.
 *
 * @param lowKeV low edge of bin 0, keV (finite)
 * @param binWidthKeV width of every bin, keV (finite, &gt; 0, and wide enough that all edges are
 *     distinct doubles)
 * @param binCount number of bins, 1 to {@link #MAX_BIN_COUNT}
 */
public record Binning(double lowKeV, double binWidthKeV, int binCount) {

  // equals and hashCode are written out with the record's own meaning (doubles compared as by
  // Double.compare, the count by ==): the generated ones bootstrap through java.lang.runtime.ObjectMethods
  // on first use, ~30 classes spun at the end of every replay when the spectra are merged (issue 19: start-up).

  @Override
  public boolean equals(Object o) {
    return o instanceof Binning b && Double.compare(lowKeV, b.lowKeV) == 0 && Double.compare(binWidthKeV, b.binWidthKeV) == 0
        && binCount == b.binCount;
  }

  @Override
  public int hashCode() {
    return (Double.hashCode(lowKeV) * 31 + Double.hashCode(binWidthKeV)) * 31 + binCount;
  }

  /** The default bin width of nudaq spectra, keV. */
  public static final double DEFAULT_BIN_WIDTH_KEV = 0.1;

  /** Largest accepted bin count (80 MB of counters): guards against a typo in a configuration. */
  public static final int MAX_BIN_COUNT = 10_000_000;

  /** {@link #binIndex(double)} result for an energy below {@link #lowKeV()}. */
  public static final int UNDERFLOW = -1;

  /** {@link #binIndex(double)} result for a NaN energy. */
  public static final int INVALID = -2;

  /**
   * Edges must stay this many ulps apart so that neighbouring edges never round to the same double
   * and the one-step correction in {@link #binIndex(double)} is always enough.
   */
  private static final double MIN_WIDTH_IN_ULPS = 16.0;

  /** Validates the parameters; messages name the offending value. */
  public Binning {
    if (!Double.isFinite(lowKeV)) {
      throw new IllegalArgumentException("binning: lowKeV must be finite, got lowKeV=" + lowKeV);
    }
    if (!(binWidthKeV > 0.0) || !Double.isFinite(binWidthKeV)) {
      throw new IllegalArgumentException(
          "binning: binWidthKeV must be finite and > 0, got binWidthKeV=" + binWidthKeV);
    }
    if (binCount < 1 || binCount > MAX_BIN_COUNT) {
      throw new IllegalArgumentException(
          "binning: binCount must be in [1, " + MAX_BIN_COUNT + "], got binCount=" + binCount);
    }
    double highKeV = lowKeV + binCount * binWidthKeV;
    if (!Double.isFinite(highKeV)) {
      throw new IllegalArgumentException(
          "binning: high edge is not finite: lowKeV=" + lowKeV + ", binWidthKeV=" + binWidthKeV
              + ", binCount=" + binCount);
    }
    double magnitude = Math.max(Math.abs(lowKeV), Math.abs(highKeV));
    if (binWidthKeV < MIN_WIDTH_IN_ULPS * Math.ulp(magnitude)) {
      throw new IllegalArgumentException(
          "binning: binWidthKeV=" + binWidthKeV + " is too small for edges up to " + magnitude
              + " keV (double precision cannot separate the edges)");
    }
  }

  /**
   * Bins of {@code binWidthKeV} covering {@code [lowKeV, highKeV)}; the range must be a whole
   * number of bins (to 1e-9 relative), e.g. {@code covering(0, 100, 0.1)} gives 1000 bins.
   */
  public static Binning covering(double lowKeV, double highKeV, double binWidthKeV) {
    if (!(highKeV > lowKeV)) {
      throw new IllegalArgumentException(
          "binning: highKeV must be > lowKeV, got lowKeV=" + lowKeV + ", highKeV=" + highKeV);
    }
    if (!(binWidthKeV > 0.0)) {
      throw new IllegalArgumentException(
          "binning: binWidthKeV must be > 0, got binWidthKeV=" + binWidthKeV);
    }
    double exactCount = (highKeV - lowKeV) / binWidthKeV;
    long count = Math.round(exactCount);
    if (count < 1 || Math.abs(exactCount - count) > 1e-9 * count) {
      throw new IllegalArgumentException(
          "binning: range [" + lowKeV + ", " + highKeV + ") keV is not a whole number of "
              + binWidthKeV + " keV bins (" + exactCount + " bins)");
    }
    if (count > MAX_BIN_COUNT) {
      throw new IllegalArgumentException(
          "binning: binCount must be in [1, " + MAX_BIN_COUNT + "], got binCount=" + count);
    }
    return new Binning(lowKeV, binWidthKeV, (int) count);
  }

  /** Default-width ({@value #DEFAULT_BIN_WIDTH_KEV} keV) bins covering {@code [lowKeV, highKeV)}. */
  public static Binning covering(double lowKeV, double highKeV) {
    return covering(lowKeV, highKeV, DEFAULT_BIN_WIDTH_KEV);
  }

  /**
   * Bin of an energy: {@code 0..binCount-1} in range, {@link #UNDERFLOW} below, {@code binCount}
   * at or above {@link #highKeV()}, {@link #INVALID} for NaN. Allocation-free.
   *
   * @param energyKeV energy, keV
   */
  public int binIndex(double energyKeV) {
    if (!(energyKeV >= lowKeV)) {
      // NaN fails every comparison; it is the only value unequal to itself.
      return energyKeV != energyKeV ? INVALID : UNDERFLOW;
    }
    if (energyKeV >= lowEdgeKeV(binCount)) {
      return binCount;
    }
    // energyKeV >= lowKeV, so truncation is floor; the quotient can be a rounding step off the edge
    // formula in either direction, so align it with lowEdgeKeV (at most one step, see the constructor).
    int bin = (int) ((energyKeV - lowKeV) / binWidthKeV);
    if (bin >= binCount) {
      bin = binCount - 1;
    }
    if (energyKeV < lowEdgeKeV(bin)) {
      bin--;
    } else if (energyKeV >= lowEdgeKeV(bin + 1)) {
      bin++;
    }
    return bin;
  }

  /** Low edge of bin {@code bin} (0..binCount; {@code lowEdgeKeV(binCount) == highKeV()}), keV. */
  public double lowEdgeKeV(int bin) {
    return lowKeV + bin * binWidthKeV;
  }

  /** High edge of bin {@code bin}, equal to the low edge of the next bin, keV. */
  public double highEdgeKeV(int bin) {
    return lowEdgeKeV(bin + 1);
  }

  /** Centre of bin {@code bin}: the mean of its two edges, keV. */
  public double centreKeV(int bin) {
    return 0.5 * (lowEdgeKeV(bin) + lowEdgeKeV(bin + 1));
  }

  /** High edge of the last bin (exclusive upper end of the range), keV. */
  public double highKeV() {
    return lowEdgeKeV(binCount);
  }

  /** All {@code binCount + 1} edges in a new array, keV. */
  public double[] edgesKeV() {
    double[] edges = new double[binCount + 1];
    for (int i = 0; i <= binCount; i++) {
      edges[i] = lowEdgeKeV(i);
    }
    return edges;
  }

  /** All {@code binCount} centres in a new array, keV. */
  public double[] centresKeV() {
    double[] centres = new double[binCount];
    for (int i = 0; i < binCount; i++) {
      centres[i] = centreKeV(i);
    }
    return centres;
  }
}
