package org.nudaq.monitor.spectrum;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

class BinningPropertiesTest {

  @Property(tries = 2000)
  void binIndexAgreesWithTheEdges(
      @ForAll @Scale(12) @DoubleRange(min = -50, max = 50) double lowKeV,
      @ForAll @Scale(12) @DoubleRange(min = 0.001, max = 10) double binWidthKeV,
      @ForAll @IntRange(min = 1, max = 5000) int binCount,
      @ForAll @Scale(12) @DoubleRange(min = -0.1, max = 1.1) double fraction) {
    Binning b = new Binning(lowKeV, binWidthKeV, binCount);
    double energyKeV = lowKeV + fraction * (b.highKeV() - lowKeV);
    int bin = b.binIndex(energyKeV);
    if (energyKeV < lowKeV) {
      assertThat(bin).isEqualTo(Binning.UNDERFLOW);
    } else if (energyKeV >= b.highKeV()) {
      assertThat(bin).isEqualTo(binCount);
    } else {
      assertThat(bin).isBetween(0, binCount - 1);
      assertThat(b.lowEdgeKeV(bin)).isLessThanOrEqualTo(energyKeV);
      assertThat(energyKeV).isLessThan(b.highEdgeKeV(bin));
    }
  }

  @Property(tries = 500)
  void everyEdgeStartsItsOwnBin(
      @ForAll @Scale(12) @DoubleRange(min = -50, max = 50) double lowKeV,
      @ForAll @Scale(12) @DoubleRange(min = 0.001, max = 10) double binWidthKeV,
      @ForAll @IntRange(min = 1, max = 5000) int binCount,
      @ForAll @IntRange(min = 0, max = 4999) int edge) {
    Binning b = new Binning(lowKeV, binWidthKeV, binCount);
    int i = edge % binCount;
    assertThat(b.binIndex(b.lowEdgeKeV(i))).isEqualTo(i);
    assertThat(b.binIndex(Math.nextDown(b.lowEdgeKeV(i)))).isEqualTo(i == 0 ? Binning.UNDERFLOW : i - 1);
  }
}
