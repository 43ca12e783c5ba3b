package org.nudaq.monitor.spectrum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BinningTest {

  private final Binning tenthKeV = new Binning(0.0, 0.1, 1000);

  @Test
  void equalsAndHashCodeAreTheRecordsOwnMeaning() {
    // Written out (no ObjectMethods bootstrap at start-up): same components equal, any component differing not;
    // doubles compared as by Double.compare (so -0.0 and 0.0 differ, as for a generated record equals).
    Binning a = new Binning(0.0, 0.1, 600);
    assertThat(a).isEqualTo(new Binning(0.0, 0.1, 600)).hasSameHashCodeAs(new Binning(0.0, 0.1, 600));
    assertThat(a).isNotEqualTo(new Binning(0.0, 0.1, 601)).isNotEqualTo(new Binning(0.0, 0.2, 600))
        .isNotEqualTo(new Binning(1.0, 0.1, 600)).isNotEqualTo(new Binning(-0.0, 0.1, 600)).isNotEqualTo(null).isNotEqualTo("0.0,0.1,600");
    assertThat(a.hashCode()).isNotEqualTo(new Binning(0.0, 0.1, 601).hashCode());
  }

  @Test
  void energyExactlyOnAnEdgeGoesToTheUpperBin() {
    for (Binning b : new Binning[] {
        tenthKeV, new Binning(-3.7, 0.3, 500), new Binning(1.5, 0.05, 1070), new Binning(0.35, 0.7, 9)}) {
      for (int i = 0; i < b.binCount(); i++) {
        double edge = b.lowEdgeKeV(i);
        assertThat(b.binIndex(edge)).as("%s edge %d = %s", b, i, edge).isEqualTo(i);
        double justBelow = Math.nextDown(edge);
        int expectedBelow = i == 0 ? Binning.UNDERFLOW : i - 1;
        assertThat(b.binIndex(justBelow)).as("%s just below edge %d", b, i).isEqualTo(expectedBelow);
      }
      assertThat(b.binIndex(b.highKeV())).isEqualTo(b.binCount());
      assertThat(b.binIndex(Math.nextDown(b.highKeV()))).isEqualTo(b.binCount() - 1);
    }
  }

  @Test
  void edgeIsTheDoubleOfTheEdgeFormulaNotTheDecimalLiteral() {
    // 3 * 0.1 is 0.30000000000000004 in double arithmetic: that is the edge, so the literal 0.3
    // (slightly below it) still belongs to bin 2. Documented in Binning's Javadoc.
    assertThat(tenthKeV.lowEdgeKeV(3)).isEqualTo(0.30000000000000004);
    assertThat(tenthKeV.binIndex(0.3)).isEqualTo(2);
    assertThat(tenthKeV.binIndex(0.30000000000000004)).isEqualTo(3);
  }

  @Test
  void binsMidRangeEnergiesByFloorOfOffsetOverWidth() {
    // 2.85 keV: floor(2.85 / 0.1) = 28, i.e. the bin [2.8, 2.9) keV.
    assertThat(tenthKeV.binIndex(2.85)).isEqualTo(28);
    assertThat(tenthKeV.binIndex(55.04)).isEqualTo(550);
    Binning offset = new Binning(-2.0, 0.5, 8); // [-2, 2) keV
    assertThat(offset.binIndex(-1.9)).isZero();
    assertThat(offset.binIndex(0.25)).isEqualTo(4); // (0.25 + 2) / 0.5 = 4.5
    assertThat(offset.binIndex(1.99)).isEqualTo(7);
  }

  @Test
  void reportsUnderflowOverflowAndInvalidSeparately() {
    assertThat(tenthKeV.binIndex(-0.001)).isEqualTo(Binning.UNDERFLOW);
    assertThat(tenthKeV.binIndex(Double.NEGATIVE_INFINITY)).isEqualTo(Binning.UNDERFLOW);
    assertThat(tenthKeV.binIndex(100.0)).isEqualTo(1000);
    assertThat(tenthKeV.binIndex(1e300)).isEqualTo(1000);
    assertThat(tenthKeV.binIndex(Double.POSITIVE_INFINITY)).isEqualTo(1000);
    assertThat(tenthKeV.binIndex(Double.NaN)).isEqualTo(Binning.INVALID);
    assertThat(tenthKeV.binIndex(-0.0)).isZero();
  }

  @Test
  void edgesAndCentresFollowTheBinWidth() {
    Binning b = new Binning(2.0, 0.5, 4);
    assertThat(b.edgesKeV()).containsExactly(2.0, 2.5, 3.0, 3.5, 4.0);
    assertThat(b.centresKeV()).containsExactly(2.25, 2.75, 3.25, 3.75);
    assertThat(b.highKeV()).isEqualTo(4.0);
    assertThat(b.highEdgeKeV(1)).isEqualTo(3.0);
  }

  @Test
  void coveringDerivesTheBinCountFromTheRange() {
    assertThat(Binning.covering(0.0, 100.0)).isEqualTo(new Binning(0.0, 0.1, 1000));
    assertThat(Binning.covering(2.8, 55.0, 0.1).binCount()).isEqualTo(522);
    assertThatThrownBy(() -> Binning.covering(0.0, 1.0, 0.3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a whole number of 0.3 keV bins");
    assertThatThrownBy(() -> Binning.covering(5.0, 1.0))
        .hasMessageContaining("highKeV must be > lowKeV");
  }

  @Test
  void rejectsInvalidParametersWithTheirValues() {
    assertThatThrownBy(() -> new Binning(0.0, 0.0, 10)).hasMessageContaining("binWidthKeV=0.0");
    assertThatThrownBy(() -> new Binning(0.0, Double.NaN, 10)).hasMessageContaining("binWidthKeV=NaN");
    assertThatThrownBy(() -> new Binning(Double.NaN, 0.1, 10)).hasMessageContaining("lowKeV=NaN");
    assertThatThrownBy(() -> new Binning(0.0, 0.1, 0)).hasMessageContaining("binCount=0");
    assertThatThrownBy(() -> new Binning(0.0, 0.1, Binning.MAX_BIN_COUNT + 1))
        .hasMessageContaining("binCount=" + (Binning.MAX_BIN_COUNT + 1));
    // 1e-14 keV bins at 1000 keV are below double resolution (ulp(1000) = 1.1e-13).
    assertThatThrownBy(() -> new Binning(1000.0, 1e-14, 10)).hasMessageContaining("too small");
  }
}
