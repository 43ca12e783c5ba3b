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
      int[] c = new int[1 << bits];
      for (int adc = 0; adc < c.length; adc++) {
        c[adc] = compute(s, adc);
      }
      codes[s] = c;
    }
  }

  /**
   * From now on, a source's energies are {@code Σ c_k · adc^k} with these coefficients: its table is
   * rebuilt (between events; allocates one table).
   */
  void recalibrate(int source, double[] c) {
    coefficients[source] = c.clone();
    int[] t = new int[codes[source].length];
    for (int adc = 0; adc < t.length; adc++) {
      t[adc] = compute(source, adc);
    }
    codes[source] = t;
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

  private int compute(int s, int adc) {
    double[] c = coefficients[s];
    double e = 0;
    for (int k = c.length - 1; k >= 0; k--) {
      e = e * adc + c[k];
    }
    int code = binning[s].binIndex(e) + 2;
    if (hpge[s]) {
      if (e >= bandLowKeV[s] && e < bandHighKeV) {
        code |= BAND;
      }
    } else {
      if (e > naiThresholdKeV) {
        code |= VETO;
      }
      if (e > muonThresholdKeV) {
        code |= MUON;
      }
    }
    return code;
  }
}
