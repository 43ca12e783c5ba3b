package org.nudaq.monitor.spectrum;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpectrumCsvTest {

  private static final SpectrumLabels LABELS = new SpectrumLabels("on", "hpge1", "on", "raw");

  @Test
  void writesOneRowPerBinWithNormalisedValues() {
    EnergySpectrum s = new EnergySpectrum(LABELS, new Binning(0.0, 0.1, 3), 2.0);
    for (int i = 0; i < 16; i++) {
      s.fill(0.05);
    }
    s.fill(0.25);
    s.fill(-1.0); // underflow is not a row
    s.addLiveTime(43_200.0); // half a day

    // denominator = 0.1 keV * 2 kg * 0.5 d = 0.1; bin 0: 16 / 0.1 = 160, error 4 / 0.1 = 40;
    // bin 2: 1 / 0.1 = 10, error 10. Edges print as 0.1, 0.2, 0.3 although 3 * 0.1 is 0.30000000000000004.
    String[] lines = SpectrumCsv.toCsv(s).split("\n", -1);
    assertThat(lines).hasSize(5);
    assertThat(lines[0]).isEqualTo("lowEdgeKeV,highEdgeKeV,counts,countsPerKeVKgDay,errorPerKeVKgDay");
    assertThat(lines[1]).isEqualTo("0,0.1,16,160.0,40.0");
    assertThat(lines[2]).isEqualTo("0.1,0.2,0,0.0,0.0");
    assertThat(lines[3]).isEqualTo("0.2,0.3,1,10.0,10.0");
    assertThat(lines[4]).isEmpty();
  }

  @Test
  void leavesNormalisedColumnsEmptyWithoutLiveTime() {
    EnergySpectrum s = new EnergySpectrum(LABELS, new Binning(2.8, 0.1, 2), 1.5);
    s.fill(2.85);
    assertThat(SpectrumCsv.toCsv(s)).isEqualTo(SpectrumCsv.HEADER + "\n2.8,2.9,1,,\n2.9,3,0,,\n");
  }
}
