package org.nudaq.server.pipeline;

import org.nudaq.monitor.spectrum.Binning;

/**
 * Per source, what the pipeline needs to know about an ADC value, computed once for every value the
 * board's ADC can produce instead of once per event: the spectrum bin of its calibrated energy and
 * the threshold tests on that energy. A code packs {@code bin + 2} (bin as returned by
 * {@link Binning#binIndex(double)}, so {@link Binning#INVALID} becomes 0) in its low 24 bits and the
 * {@code BAND}/{@code VETO}/{@code MUON} bits above. Values outside the table (an ADC wider than the
 * board config says) are computed on the spot with the same formulas, so results never depend on
 * the table. An online calibration ({@link #recalibrate}) replaces a source's coefficients and its
 * table between events, so applying it costs nothing per event. Pipeline thread only.
 */
final class AdcTable {
  /** HPGe: threshold ≤ E &lt; qualityBandHigh (the data-quality band). */
  static final int BAND = 1 << 24;
  /** NaI: E &gt; veto threshold. */
  static final int VETO = 1 << 25;
  /** NaI: E &gt; muon threshold. */
  static final int MUON = 1 << 26;
  private static final int BIN_MASK = (1 << 24) - 1;

  /** Per source, keV = Σ c_k · adc^k: the channel's configured polynomial until an online calibration. */
  private final double[][] coefficients;
  private final boolean[] hpge;
  private final Binning[] binning;
  private final double[] bandLowKeV;
  private final double bandHighKeV;
  private final double naiThresholdKeV;
  private final double muonThresholdKeV;
  private final int[][] codes;

  /**
   * @param map              the sources
   * @param hpgeBinning      binning of the HPGe spectra
   * @param naiBinning       binning of the NaI spectra
   * @param thresholdKeV     per detector, the low edge of the quality band, keV
   * @param bandHighKeV      high edge of the quality band, keV
   * @param naiThresholdKeV  NaI veto threshold, keV
   * @param muonThresholdKeV NaI muon threshold, keV
   */
  AdcTable(ChannelMap map, Binning hpgeBinning, Binning naiBinning, double[] thresholdKeV, double bandHighKeV,
      double naiThresholdKeV, double muonThresholdKeV) {
    if (hpgeBinning.binCount() + 2 > BIN_MASK || naiBinning.binCount() + 2 > BIN_MASK) {
      throw new IllegalArgumentException("pipeline: binCount above " + (BIN_MASK - 2) + " is not supported, hpge binCount="
          + hpgeBinning.binCount() + " nai binCount=" + naiBinning.binCount());
    }
    int n = map.sourceCount;
    coefficients = new double[n][];
    for (int s = 0; s < n; s++) {
      coefficients[s] = map.sourceConfig[s].calibration();
    }
    hpge = map.sourceHpge;
    binning = new Binning[n];
    bandLowKeV = new double[n];
    this.bandHighKeV = bandHighKeV;
    this.naiThresholdKeV = naiThresholdKeV;
    this.muonThresholdKeV = muonThresholdKeV;
    codes = new int[n][];
    for (int s = 0; s < n; s++) {
      binning[s] = hpge[s] ? hpgeBinning : naiBinning;
      bandLowKeV[s] = hpge[s] ? thresholdKeV[map.sourceDetector[s]] : 0;
      int bits = map.boardAdcBits[map.sourceBoard[s]];
      codes[s] = fill(s, new int[1 << bits]);
    }
  }

  /**
   * From now on, a source's energies are {@code Σ c_k · adc^k} with these coefficients: its table is
   * rebuilt (between events; allocates one table).
   */
  void recalibrate(int source, double[] c) {
    coefficients[source] = c.clone();
    codes[source] = fill(source, new int[codes[source].length]);
  }

  /** A source's coefficients in force (a copy). */
  double[] coefficients(int source) {
    return coefficients[source].clone();
  }

  /** The code of an ADC value of a source. Allocation-free. */
  int code(int source, int adc) {
    int[] c = codes[source];
    return adc >= 0 && adc < c.length ? c[adc] : compute(source, adc);
  }

  /**
   * A source's codes by ADC value, for a loop over one source's events (valid until the next
   * {@link #recalibrate}, which happens between events); values outside it go to {@link #code}.
   */
  int[] codes(int source) {
    return codes[source];
  }

  /** The bin of a code, as {@link Binning#binIndex(double)} returns it. */
  static int bin(int code) {
    return (code & BIN_MASK) - 2;
  }

  /** The code of an ADC value of a source, from its formulas (values outside the table). */
  private int compute(int s, int adc) {
    double e = energyKeV(coefficients[s], adc);
    return binning[s].binIndex(e) + 2 | flags(s, e);
  }

  /**
   * Fills {@code table} with the codes of ADC values 0, 1, ...: those {@link #compute} gives, value by value. Consecutive
   * ADC values mostly share a bin (tens of values per bin), so a value whose energy lies in the bin of the previous one,
   * {@code lowEdgeKeV(bin) <= E < lowEdgeKeV(bin + 1)}, takes that bin: exactly what {@link Binning#binIndex} returns for
   * it (its contract), without the call. Each pipeline builds 2^adcBits codes per source at start, ~2-10 ms in the C1
   * code of a short replay before (issue 19: a replay's fixed cost; AdcTableTest compares every code with compute).
   *
   * @return {@code table}
   */
  private int[] fill(int s, int[] table) {
    double[] c = coefficients[s];
    Binning b = binning[s];
    boolean isHpge = hpge[s];
    double bandLow = bandLowKeV[s];
    double bandHigh = bandHighKeV;
    double vetoAbove = naiThresholdKeV;
    double muonAbove = muonThresholdKeV;
    int lastBin = b.binCount() - 1;
    int bin = Binning.INVALID;
    double binLowKeV = Double.NaN; // [binLowKeV, binHighKeV): the edges of bin, NaN when bin is not 0..lastBin
    double binHighKeV = Double.NaN;
    for (int adc = 0; adc < table.length; adc++) {
      double e = energyKeV(c, adc);
      if (!(e >= binLowKeV && e < binHighKeV)) {
        bin = b.binIndex(e);
        boolean inRange = bin >= 0 && bin <= lastBin;
        binLowKeV = inRange ? b.lowEdgeKeV(bin) : Double.NaN;
        binHighKeV = inRange ? b.lowEdgeKeV(bin + 1) : Double.NaN;
      }
      // flags(s, e), its formulas on local copies (a call per value in C1's code otherwise)
      int flags = isHpge ? (e >= bandLow && e < bandHigh ? BAND : 0) : (e > vetoAbove ? VETO : 0) | (e > muonAbove ? MUON : 0);
      table[adc] = bin + 2 | flags;
    }
    return table;
  }

  /** keV = Σ c_k · adc^k (Horner). */
  private static double energyKeV(double[] c, int adc) {
    double e = 0;
    for (int k = c.length - 1; k >= 0; k--) {
      e = e * adc + c[k];
    }
    return e;
  }

  /** The BAND, VETO and MUON bits of an energy of a source. */
  private int flags(int s, double e) {
    if (hpge[s]) {
      return e >= bandLowKeV[s] && e < bandHighKeV ? BAND : 0;
    }
    return (e > naiThresholdKeV ? VETO : 0) | (e > muonThresholdKeV ? MUON : 0);
  }
}
