package org.nudaq.monitor.spectrum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnergySpectrumTest {

  private static final SpectrumLabels ON = new SpectrumLabels("on-after-veto", "hpge1", "on", "after-veto");
  private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
  /** 2.8 to 3.3 keV in 0.1 keV bins (the GEMMA-I threshold region). */
  private static final Binning THRESHOLD_REGION = new Binning(2.8, 0.1, 5);
  private static final double GEMMA1_MASS_KG = 1.5;

  private static EnergySpectrum spectrum() {
    return new EnergySpectrum(ON, THRESHOLD_REGION, GEMMA1_MASS_KG);
  }

  private static void fill(EnergySpectrum s, double energyKeV, int times) {
    for (int i = 0; i < times; i++) {
      s.fill(energyKeV);
    }
  }

  @Test
  void fillCountsEachEnergyInItsBinOrInTheMatchingOutOfRangeCounter() {
    EnergySpectrum s = spectrum();
    s.fill(2.85);
    s.fill(2.8); // the low edge itself belongs to bin 0
    s.fill(THRESHOLD_REGION.lowEdgeKeV(4)); // exactly on the last inner edge: upper bin
    s.fill(2.79);
    s.fill(Double.NEGATIVE_INFINITY);
    s.fill(THRESHOLD_REGION.highKeV()); // the high edge is excluded: overflow
    s.fill(1000.0);
    s.fill(Double.NaN);

    assertThat(new long[] {s.count(0), s.count(1), s.count(2), s.count(3), s.count(4)})
        .containsExactly(2, 0, 0, 0, 1);
    assertThat(s.inRangeCount()).isEqualTo(3);
    assertThat(s.underflowCount()).isEqualTo(2);
    assertThat(s.overflowCount()).isEqualTo(2);
    assertThat(s.invalidCount()).isEqualTo(1);
    assertThat(s.entryCount()).isEqualTo(8);
  }

  @Test
  void fillingByBinIndexCountsExactlyAsFillingByEnergy() {
    EnergySpectrum byEnergy = spectrum();
    EnergySpectrum byBin = spectrum();
    // 2.8-3.3 keV in 0.1 keV bins: below, in each bin, at the high edge (overflow), NaN (invalid).
    double[] energies = {2.7, 2.85, 2.95, 3.05, 3.15, 3.25, 3.3, 99, Double.NaN, -1};
    for (double e : energies) {
      byEnergy.fill(e);
      byBin.fillBin(THRESHOLD_REGION.binIndex(e));
    }
    assertThat(byBin.snapshot(T0)).isEqualTo(byEnergy.snapshot(T0));
    assertThat(byBin.inRangeCount()).isEqualTo(5);
    assertThat(byBin.underflowCount()).isEqualTo(2);
    assertThat(byBin.overflowCount()).isEqualTo(2);
    assertThat(byBin.invalidCount()).isEqualTo(1);
  }

  @Test
  void aBulkFillInTwoStepsCountsExactlyAsFillingEachBin() {
    EnergySpectrum each = spectrum();
    EnergySpectrum bulk = spectrum();
    int[] bins = {0, 4, 4, 2, 0, 3, 1, 4};
    for (int bin : bins) {
      each.fillBin(bin);
      bulk.countInRangeBin(bin);
    }
    assertThat(bulk.inRangeCount()).isZero(); // not counted until the loop adds its total
    bulk.addInRangeCount(bins.length);
    assertThat(bulk.snapshot(T0)).isEqualTo(each.snapshot(T0));
    assertThat(bulk.count(4)).isEqualTo(3);
    assertThat(bulk.inRangeCount()).isEqualTo(8);
    assertThatThrownBy(() -> bulk.countInRangeBin(5)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
  }

  @Test
  void savedCountsRestoreIntoAnotherSpectrumAndTheLiveTimeIsAttachedByTheOwner() {
    EnergySpectrum s = spectrum();
    fill(s, 2.85, 3);
    fill(s, 3.25, 2);
    s.fill(2.0);
    s.fill(Double.NaN);
    java.nio.LongBuffer saved = java.nio.LongBuffer.allocate(THRESHOLD_REGION.binCount());
    s.putCounts(saved);
    saved.flip();
    EnergySpectrum restored = spectrum();
    restored.restoreCounts(saved, s.inRangeCount(), s.underflowCount(), s.overflowCount(), s.invalidCount());
    assertThat(restored.snapshot(T0)).isEqualTo(s.snapshot(T0));
    // 86 400 s attached to the copy; the spectrum's own live time stays 0.
    assertThat(restored.snapshot(86_400.0, T0).liveTimeSeconds()).isEqualTo(86_400.0);
    assertThat(restored.snapshot(86_400.0, T0).count(0)).isEqualTo(3);
    assertThat(restored.liveTimeSeconds()).isZero();
    restored.reset();
    assertThat(restored.entryCount()).isZero();
    assertThat(restored.count(0)).isZero();
  }

  @Test
  void normalisesToCountsPerKeVKgDayAsHandCalculated() {
    EnergySpectrum s = spectrum();
    fill(s, 2.85, 54);
    fill(s, 2.95, 36);
    fill(s, 3.25, 1);
    // 10 days = 864 000 s, added in pieces as status frames would.
    s.addLiveTime(400_000.0);
    s.addLiveTime(400_000.0);
    s.addLiveTime(64_000.0);

    // denominator = binWidth * mass * liveDays = 0.1 keV * 1.5 kg * 10 d = 1.5 keV·kg·d
    // bin 0: 54 / 1.5 = 36, error sqrt(54) / 1.5 = 4.898979485566356
    // bin 1: 36 / 1.5 = 24, error 6 / 1.5 = 4; bin 4: 1 / 1.5 = 0.666..., error 0.666...
    double[] rate = s.countsPerKeVKgDay();
    double[] error = s.errorsPerKeVKgDay();
    assertThat(rate[0]).isCloseTo(36.0, within(1e-12));
    assertThat(rate[1]).isCloseTo(24.0, within(1e-12));
    assertThat(rate[2]).isZero();
    assertThat(rate[4]).isCloseTo(2.0 / 3.0, within(1e-12));
    assertThat(error[0]).isCloseTo(4.898979485566356, within(1e-12));
    assertThat(error[1]).isCloseTo(4.0, within(1e-12));
    assertThat(error[2]).isZero();
    assertThat(s.liveTimeSeconds()).isEqualTo(864_000.0);
    assertThat(s.liveTimeDays()).isEqualTo(10.0);
    assertThat(s.exposureKgDays()).isEqualTo(15.0); // 1.5 kg * 10 d
  }

  @Test
  void normalisationIntoCallerArrayMatchesAllocatingVariant() {
    EnergySpectrum s = spectrum();
    fill(s, 3.05, 7);
    s.addLiveTime(3600.0);
    double[] out = new double[5];
    s.countsPerKeVKgDay(out);
    assertThat(out).containsExactly(s.countsPerKeVKgDay());
    s.errorsPerKeVKgDay(out);
    assertThat(out).containsExactly(s.errorsPerKeVKgDay());
    assertThatThrownBy(() -> s.countsPerKeVKgDay(new double[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length 4, expected binCount=5");
  }

  @Test
  void refusesToNormaliseWithoutLiveTime() {
    EnergySpectrum s = spectrum();
    s.fill(2.85);
    assertThatThrownBy(s::countsPerKeVKgDay)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("name=on-after-veto")
        .hasMessageContaining("liveTimeSeconds=0.0");
    assertThatThrownBy(s::errorsPerKeVKgDay).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsNegativeOrNonFiniteLiveTime() {
    EnergySpectrum s = spectrum();
    assertThatThrownBy(() -> s.addLiveTime(-1.0)).hasMessageContaining("seconds=-1.0");
    assertThatThrownBy(() -> s.addLiveTime(Double.NaN)).hasMessageContaining("seconds=NaN");
    assertThatThrownBy(() -> s.addLiveTime(Double.POSITIVE_INFINITY)).hasMessageContaining("Infinity");
    assertThat(s.liveTimeSeconds()).isZero();
  }

  @Test
  void rejectsNonPositiveMass() {
    assertThatThrownBy(() -> new EnergySpectrum(ON, THRESHOLD_REGION, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("massKg=0.0");
  }

  @Test
  void mergeAddsCountsCountersAndLiveTime() {
    EnergySpectrum run1 = spectrum();
    fill(run1, 2.85, 3);
    fill(run1, 2.0, 2);
    run1.addLiveTime(100.0);
    EnergySpectrum run2 = spectrum();
    fill(run2, 2.85, 4);
    fill(run2, 3.15, 5);
    fill(run2, 9.0, 1);
    run2.fill(Double.NaN);
    run2.addLiveTime(250.5);

    run1.merge(run2);

    assertThat(run1.count(0)).isEqualTo(7);
    assertThat(run1.count(3)).isEqualTo(5);
    assertThat(run1.inRangeCount()).isEqualTo(12);
    assertThat(run1.underflowCount()).isEqualTo(2);
    assertThat(run1.overflowCount()).isEqualTo(1);
    assertThat(run1.invalidCount()).isEqualTo(1);
    assertThat(run1.liveTimeSeconds()).isEqualTo(350.5);
    assertThat(run2.count(0)).as("the merged-in spectrum is unchanged").isEqualTo(4);
  }

  @Test
  void mergeAcceptsASnapshot() {
    EnergySpectrum total = spectrum();
    EnergySpectrum run = spectrum();
    fill(run, 3.25, 2);
    run.addLiveTime(60.0);
    total.merge(run.snapshot(T0));
    total.merge(run.snapshot(T0));
    assertThat(total.count(4)).isEqualTo(4);
    assertThat(total.liveTimeSeconds()).isEqualTo(120.0);
  }

  @Test
  void mergeRejectsDifferentBinningMassOrItself() {
    EnergySpectrum s = spectrum();
    EnergySpectrum otherBins = new EnergySpectrum(ON, new Binning(2.8, 0.2, 5), GEMMA1_MASS_KG);
    EnergySpectrum otherMass = new EnergySpectrum(ON, THRESHOLD_REGION, 3.0);
    assertThatThrownBy(() -> s.merge(otherBins))
        .isInstanceOf(SpectrumMismatchException.class)
        .hasMessageContaining("binning differs")
        .hasMessageContaining("binWidthKeV=0.2");
    assertThatThrownBy(() -> s.merge(otherMass))
        .isInstanceOf(SpectrumMismatchException.class)
        .hasMessageContaining("massKg differs (3.0 vs 1.5)");
    assertThatThrownBy(() -> s.merge(s)).hasMessageContaining("into itself");
  }

  @Test
  void snapshotIsAnIndependentCopy() {
    EnergySpectrum s = spectrum();
    fill(s, 2.85, 3);
    s.addLiveTime(10.0);
    SpectrumSnapshot snap = s.snapshot(T0);

    fill(s, 2.85, 5);
    s.addLiveTime(5.0);
    snap.counts()[0] = 999; // the accessor hands out a copy

    assertThat(snap.count(0)).isEqualTo(3);
    assertThat(snap.liveTimeSeconds()).isEqualTo(10.0);
    assertThat(snap.inRangeCount()).isEqualTo(3);
    assertThat(snap.takenAt()).isEqualTo(T0);
    assertThat(snap.labels()).isEqualTo(ON);
  }

  @Test
  void restoreFromSnapshotReproducesTheSpectrum() {
    EnergySpectrum s = spectrum();
    fill(s, 2.85, 3);
    fill(s, 3.15, 2);
    fill(s, 1.0, 4);
    fill(s, 50.0, 6);
    s.fill(Double.NaN);
    s.addLiveTime(12_345.678);
    SpectrumSnapshot before = s.snapshot(T0);

    EnergySpectrum restarted = spectrum();
    restarted.fill(3.0); // state from before the restore must disappear
    restarted.restore(before);

    assertThat(restarted.snapshot(T0)).isEqualTo(before);
    assertThat(restarted.inRangeCount()).isEqualTo(5);
    assertThat(EnergySpectrum.fromSnapshot(before).snapshot(T0)).isEqualTo(before);
    // Filling continues from the restored state.
    restarted.fill(2.85);
    assertThat(restarted.count(0)).isEqualTo(4);
  }

  @Test
  void restoreRejectsASnapshotOfAnotherSpectrum() {
    SpectrumLabels off = new SpectrumLabels("off-after-veto", "hpge1", "off", "after-veto");
    SpectrumSnapshot offSnapshot = new EnergySpectrum(off, THRESHOLD_REGION, GEMMA1_MASS_KG).snapshot(T0);
    assertThatThrownBy(() -> spectrum().restore(offSnapshot))
        .isInstanceOf(SpectrumMismatchException.class)
        .hasMessageContaining("labels differ");
    SpectrumSnapshot otherBins = new EnergySpectrum(ON, new Binning(0, 0.1, 5), GEMMA1_MASS_KG).snapshot(T0);
    assertThatThrownBy(() -> spectrum().restore(otherBins)).hasMessageContaining("binning differs");
  }

  @Test
  void resetClearsEverything() {
    EnergySpectrum s = spectrum();
    fill(s, 2.85, 3);
    s.fill(-1.0);
    s.fill(99.0);
    s.fill(Double.NaN);
    s.addLiveTime(10.0);
    s.reset();
    assertThat(s.snapshot(T0)).isEqualTo(spectrum().snapshot(T0));
    assertThat(s.entryCount()).isZero();
  }

  @Test
  void snapshotValidatesItsContent() {
    assertThatThrownBy(() -> new SpectrumSnapshot(ON, THRESHOLD_REGION, 1.5, 0.0, 0, 0, 0, new long[4], T0))
        .hasMessageContaining("counts has 4 entries, expected binCount=5");
    assertThatThrownBy(() -> new SpectrumSnapshot(ON, THRESHOLD_REGION, 1.5, 0.0, 0, 0, 0,
        new long[] {0, 0, -2, 0, 0}, T0)).hasMessageContaining("counts[2]=-2 is negative");
    assertThatThrownBy(() -> new SpectrumSnapshot(ON, THRESHOLD_REGION, 1.5, -1.0, 0, 0, 0, new long[5], T0))
        .hasMessageContaining("liveTimeSeconds=-1.0");
    long[] counts = {1, 2, 3, 4, 5};
    SpectrumSnapshot snap = new SpectrumSnapshot(ON, THRESHOLD_REGION, 1.5, 0.0, 0, 0, 0, counts, T0);
    counts[0] = 100; // the constructor copied the array
    assertThat(snap.count(0)).isEqualTo(1);
  }

  @Test
  void labelsRejectUnknownReactorStateAndBadTokens() {
    assertThatThrownBy(() -> new SpectrumLabels("x", "hpge1", "ON", "raw"))
        .hasMessageContaining("reactorState=ON");
    assertThatThrownBy(() -> new SpectrumLabels("bad name", "hpge1", "on", "raw"))
        .hasMessageContaining("name=bad name");
  }
}
