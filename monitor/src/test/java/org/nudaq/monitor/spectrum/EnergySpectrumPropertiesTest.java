package org.nudaq.monitor.spectrum;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

class EnergySpectrumPropertiesTest {

  private static final SpectrumLabels LABELS = new SpectrumLabels("s", "hpge1", "on", "raw");
  private static final Binning BINNING = new Binning(0.0, 0.1, 1000);
  private static final Instant T0 = Instant.EPOCH;

  /** Energies around and beyond [0, 100) keV, with exact edges and the special doubles. */
  @Provide
  Arbitrary<List<Double>> energies() {
    Arbitrary<Double> energy = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.doubles().between(-10.0, 110.0).ofScale(9)),
        Tuple.of(1, Arbitraries.integers().between(0, 1000).map(BINNING::lowEdgeKeV)),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -0.0, Double.MAX_VALUE, -Double.MIN_VALUE)));
    return energy.list().ofMaxSize(400);
  }

  private static EnergySpectrum filled(List<Double> energiesKeV, double liveTimeSeconds) {
    EnergySpectrum s = new EnergySpectrum(LABELS, BINNING, 1.5);
    for (double e : energiesKeV) {
      s.fill(e);
    }
    s.addLiveTime(liveTimeSeconds);
    return s;
  }

  @Property(tries = 300)
  void everyFillIsCountedExactlyOnce(@ForAll("energies") List<Double> energiesKeV) {
    EnergySpectrum s = filled(energiesKeV, 0.0);
    long sumOfBins = 0;
    for (int i = 0; i < BINNING.binCount(); i++) {
      sumOfBins += s.count(i);
    }
    assertThat(sumOfBins).isEqualTo(s.inRangeCount());
    assertThat(sumOfBins + s.underflowCount() + s.overflowCount() + s.invalidCount())
        .isEqualTo(energiesKeV.size());
    long nan = energiesKeV.stream().filter(e -> Double.isNaN(e)).count();
    assertThat(s.invalidCount()).isEqualTo(nan);
  }

  @Property(tries = 200)
  void mergeIsCommutative(
      @ForAll("energies") List<Double> a,
      @ForAll("energies") List<Double> b,
      @ForAll @Scale(6) @DoubleRange(min = 0, max = 1e6) double liveA,
      @ForAll @Scale(6) @DoubleRange(min = 0, max = 1e6) double liveB) {
    EnergySpectrum ab = filled(a, liveA);
    ab.merge(filled(b, liveB));
    EnergySpectrum ba = filled(b, liveB);
    ba.merge(filled(a, liveA));
    assertThat(ab.snapshot(T0)).isEqualTo(ba.snapshot(T0));
  }

  @Property(tries = 200)
  void mergingEqualsFillingEverythingIntoOneSpectrum(
      @ForAll("energies") List<Double> a, @ForAll("energies") List<Double> b) {
    EnergySpectrum merged = filled(a, 0.0);
    merged.merge(filled(b, 0.0));
    EnergySpectrum single = filled(a, 0.0);
    for (double e : b) {
      single.fill(e);
    }
    assertThat(merged.snapshot(T0)).isEqualTo(single.snapshot(T0));
  }
}
