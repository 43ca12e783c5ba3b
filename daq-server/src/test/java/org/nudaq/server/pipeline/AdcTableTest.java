package org.nudaq.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.config.DigitizerConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.Binning;

/**
 * AdcTable's codes against the formulas written out here, for every ADC value of a 16-bit board: keV = Σ c_k·adc^k,
 * bin = Binning.binIndex(keV) + 2, BAND for an HPGe energy in [threshold, qualityBandHigh), VETO for an NaI energy above
 * the veto threshold, MUON above the muon threshold. The table is built by runs of ADC values sharing a bin (issue 19:
 * a replay's fixed cost); the calibrations below cross bin edges in every way a run could be misjudged: rising, falling,
 * turning round (a quadratic), starting below the range and leaving it above, a gain equal to the bin width (edges that
 * round onto ADC values) and an online recalibration.
 */
class AdcTableTest {
  private static final double[][] CALIBRATIONS = {
      {0.0, 0.005}, // GEMMA-I's HPGe
      {0.0, 0.1}, // gain = the 0.1 keV bin width: energies on the edges' doubles
      {-3.7, 0.0031, 2e-8}, // below the range first, quadratic
      {120.0, -0.002}, // falling: from above the range to below it
      {-1.0, 0.0041, -6e-8}, // rises into the range and falls out of it again
      {0.05, 0.2}, // NaI-like: 13 keV over the whole range
  };

  @Test
  void everyCodeIsTheFormulasForEveryCalibration() {
    for (int i = 0; i < CALIBRATIONS.length; i++) { // each on the HPGe with the next on the NaI
      double[] hpge = CALIBRATIONS[i];
      double[] nai = CALIBRATIONS[(i + 1) % CALIBRATIONS.length];
      Tables t = new Tables(withCalibrations(TestConfigs.gemma1(), hpge, nai));
      for (int s = 0; s < t.map.sourceCount; s++) {
        assertCodes(t, s, t.map.sourceHpge[s] ? hpge : nai);
      }
    }
  }

  @Test
  void aRecalibrationRebuildsTheCodesByTheNewPolynomial() {
    Tables t = new Tables(TestConfigs.gemma1());
    int hpge = t.map.sourceHpge[0] ? 0 : 1;
    assertTrue(t.map.sourceHpge[hpge]);
    for (double[] c : CALIBRATIONS) {
      t.table.recalibrate(hpge, c);
      assertCodes(t, hpge, c);
    }
  }

  /** Every code of source s equals the formulas for its polynomial c; the table covers the board's 2^16 values. */
  private static void assertCodes(Tables t, int s, double[] c) {
    int[] codes = t.table.codes(s);
    assertEquals(1 << 16, codes.length);
    int edges = 0;
    // the table's values, and a few beyond it (an ADC wider than the board says: computed on the spot)
    for (int adc = 0; adc < codes.length + 8; adc++) {
      double e = 0;
      for (int k = c.length - 1; k >= 0; k--) {
        e = e * adc + c[k];
      }
      boolean hpge = t.map.sourceHpge[s];
      Binning b = hpge ? t.binning : t.naiBinning;
      int expected = b.binIndex(e) + 2;
      if (hpge && e >= t.thresholdKeV && e < t.bandHighKeV) {
        expected |= AdcTable.BAND;
      }
      if (!hpge && e > t.naiThresholdKeV) {
        expected |= AdcTable.VETO;
      }
      if (!hpge && e > t.muonThresholdKeV) {
        expected |= AdcTable.MUON;
      }
      assertEquals(expected, t.table.code(s, adc), "source " + s + ", adc " + adc + ", " + e + " keV");
      if (adc >= codes.length) {
        continue;
      }
      assertEquals(expected, codes[adc], "source " + s + ", adc " + adc + ", " + e + " keV");
      if (adc > 0 && codes[adc] != codes[adc - 1]) {
        edges++;
      }
    }
    assertTrue(edges > 0, "the calibration crosses no bin edge: the test would test nothing");
  }

  /** The AdcTable a pipeline of config c builds, with the parameters DecisionStage gives it. */
  private static final class Tables {
    final ChannelMap map;
    final Binning binning;
    final Binning naiBinning;
    final double thresholdKeV;
    final double bandHighKeV;
    final double naiThresholdKeV;
    final double muonThresholdKeV;
    final AdcTable table;

    Tables(NudaqConfig c) {
      map = new ChannelMap(c);
      binning = Binning.covering(c.analysis().spectrumLowKeV(), c.analysis().spectrumHighKeV(), c.analysis().binWidthKeV());
      muonThresholdKeV = c.veto().muonThresholdKeV();
      naiBinning = Binning.covering(0, 2 * muonThresholdKeV, 2 * muonThresholdKeV / 1000);
      thresholdKeV = c.detectors().get(0).thresholdKeV();
      bandHighKeV = c.gates().qualityBandHighKeV();
      naiThresholdKeV = c.veto().naiThresholdKeV();
      table = new AdcTable(map, binning, naiBinning, new double[] {thresholdKeV}, bandHighKeV, naiThresholdKeV, muonThresholdKeV);
    }
  }

  /** GEMMA-I's board with these polynomials on its HPGe (channel 0) and NaI (channel 1). */
  private static NudaqConfig withCalibrations(NudaqConfig c, double[] hpge, double[] nai) {
    BoardConfig b = c.digitizer().boards().get(0);
    assertEquals(16, b.adcBits());
    List<ChannelConfig> channels = List.of(
        new ChannelConfig(0, ChannelConfig.Role.HPGE, "hpge-1", hpge),
        new ChannelConfig(1, ChannelConfig.Role.NAI, "nai-shield", nai));
    BoardConfig changed = new BoardConfig(b.id(), b.host(), b.port(), b.tickNs(), b.adcBits(), channels);
    return c.withDigitizer(new DigitizerConfig(List.of(changed), c.digitizer().reconnectInitialMs(),
        c.digitizer().reconnectMaxMs(), c.digitizer().connectTimeoutMs()));
  }
}
