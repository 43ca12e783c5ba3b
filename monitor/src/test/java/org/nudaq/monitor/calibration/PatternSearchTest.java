package org.nudaq.monitor.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The peak-pattern search: not fooled by the highest bin, a spurious peak or a missing line. */
class PatternSearchTest {
  private static final double GAIN = 0.005;
  private static final double SIGMA = 0.2; // keV (a better detector than GEMMA-I: lines resolved)
  private static final double[] LINES = {10.37, 9.66, 8.98, 6.54, 5.99};

  private static double[] sigmas() {
    double[] s = new double[LINES.length];
    java.util.Arrays.fill(s, SIGMA);
    return s;
  }

  @Test
  void findsTheGainWithASpuriousHighestPeakAndAMissingLine() {
    // True gain 2 % above the nominal; 9.66 keV missing; a spurious peak (noise, another isotope) four times
    // larger than any real line, placed where Ga K 10.37 would sit at k = 0.97 (inside the search range of ±5 %),
    // recorded at 10.37·1.02/0.97 = 10.905 keV, 2.7 σ above the real line. A highest-bin rule would take it for Ga K.
    double trueGain = GAIN * 1.02;
    SyntheticSpectrum s = new SyntheticSpectrum(3000, 9).line(10.37, SIGMA, 600, 0, trueGain)
        .line(8.98, SIGMA, 400, 0, trueGain).line(6.54, SIGMA, 300, 0, trueGain).line(5.99, SIGMA, 300, 0, trueGain)
        .line(10.37 * 1.02 / 0.97, SIGMA, 2500, 0, trueGain).flat(1);
    int highest = 0;
    for (int i = 0; i < s.counts.length; i++) {
      if (s.counts[i] > s.counts[highest]) {
        highest = i;
      }
    }
    assertThat(highest * trueGain).isCloseTo(10.905, within(0.3)); // the highest bin is the spurious peak
    double k = PatternSearch.bestGainFactor(s.counts, LINES, sigmas(), 0, GAIN, 0.05);
    // The search locates the pattern to a fraction of the line width (the fits refine it): within 0.5 σ at
    // the highest line, 0.5·0.2/10.37 = 0.0096. Taking the spurious peak for Ga K would give k = 0.97.
    assertThat(k).isCloseTo(1.02, within(0.0096));
  }

  @Test
  void anEmptySpectrumKeepsTheCurrentScale() {
    assertThat(PatternSearch.bestGainFactor(new long[3000], LINES, sigmas(), 0, GAIN, 0.05)).isEqualTo(1.0);
  }
}
