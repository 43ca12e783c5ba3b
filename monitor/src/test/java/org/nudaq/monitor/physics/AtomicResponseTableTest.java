package org.nudaq.monitor.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tabulated atomic-response model: the documented format, its errors, and its folding. */
class AtomicResponseTableTest {

  @Test
  void readsTheDocumentedFormatAndInterpolatesLinearly(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ge.csv");
    Files.writeString(f, "# source: a test calculation\nrecoilKeV,ratio\n0.5, 2.0\n1.0 1.5\n\n3.0,1.1\n");
    AtomicResponseTable t = AtomicResponseTable.read(f);
    assertThat(t.provenance()).isEqualTo("a test calculation");
    assertThat(t.rows()).isEqualTo(3);
    // Linear between rows: at 2 keV, 1.5 + (2 − 1)/(3 − 1)·(1.1 − 1.5) = 1.3; clamped outside.
    assertThat(t.applyAsDouble(2.0)).isCloseTo(1.3, within(1e-12));
    assertThat(t.applyAsDouble(0.75)).isCloseTo(1.75, within(1e-12));
    assertThat(t.applyAsDouble(0.1)).isEqualTo(2.0);
    assertThat(t.applyAsDouble(50)).isEqualTo(1.1);
  }

  @Test
  void badTablesAreOneLineErrorsNamingFileAndLine() {
    assertThatThrownBy(() -> AtomicResponseTable.parse("t.csv", List.of("1, 1", "0.5, 2")))
        .hasMessage("t.csv:2: recoilKeV must increase, got 0.5 after 1.0");
    assertThatThrownBy(() -> AtomicResponseTable.parse("t.csv", List.of("1, x")))
        .hasMessage("t.csv:1: not a number in '1, x'");
    assertThatThrownBy(() -> AtomicResponseTable.parse("t.csv", List.of("1, -1")))
        .hasMessage("t.csv:1: ratio must be finite and >= 0, got -1");
    assertThatThrownBy(() -> AtomicResponseTable.parse("t.csv", List.of("# only", "1, 1")))
        .hasMessageContaining("at least two rows, got 1");
    assertThatThrownBy(() -> AtomicResponseTable.read(Path.of("/nonexistent/ge.csv")))
        .hasMessageStartingWith("/nonexistent/ge.csv: cannot read the atomic-response table");
  }

  /**
   * Folding is linear in the rate: a table of constant ratio 2 on the free-electron model gives exactly
   * twice the free-electron templates, bin by bin (an independent check of the hook, not of the physics).
   */
  @Test
  void aConstantRatioScalesTheFoldedFreeElectronTemplates() {
    PhysicsModel free = new PhysicsModel(new PhysicsParameters(ReactorParameters.of(3.0, 13.9), 0.2386,
        ElectronBinding.FREE_ELECTRON, 0.1));
    BinningSpec binning = new BinningSpec(0, 20, 0.5);
    DetectorResponse r = DetectorResponse.of(1.0, 2.8, 0.1, 1.5);
    AtomicResponseTable two = AtomicResponseTable.parse("two", List.of("0.1, 2", "100, 2"));
    BinnedExpectedSpectra plain = free.binnedExpectedSpectra(binning, r);
    BinnedExpectedSpectra doubled = free.binnedExpectedSpectra(binning, r, two);
    for (int b = 0; b < plain.binCount(); b++) {
      assertThat(doubled.qUnitPerKeVKgDay()[b]).isCloseTo(2 * plain.qUnitPerKeVKgDay()[b],
          within(1e-12 * (1 + plain.qUnitPerKeVKgDay()[b])));
      assertThat(doubled.muUnitPerKeVKgDay()[b]).isCloseTo(2 * plain.muUnitPerKeVKgDay()[b],
          within(1e-12 * (1 + plain.muUnitPerKeVKgDay()[b])));
    }
    assertThat(plain.qUnitPerKeVKgDay()[10]).isGreaterThan(0);
  }
}
