package org.nudaq.sim.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DetectorConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.physics.BinnedExpectedSpectra;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.PhysicsModel;
import org.nudaq.sim.generator.EventClass;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.EventSink;
import org.nudaq.sim.generator.GroundTruth;
import org.nudaq.sim.generator.PhysicsRecoilRates;

/**
 * Acceptance of issue #4: over a simulated GEMMA-I run the spectra of generated events agree with
 * the monitor's expected spectra (χ² per component, p > 0.001) and each class's total is within 4σ
 * (Poisson) of its expectation. The NaI (which costs time but not HPGe physics) is switched off, and
 * STATUS points are hourly, so five detector years take a few seconds.
 */
class PhysicsAcceptanceTest {
  private static final double MU_INJECTED = 2e-10; // μB: (2e-10/1e-11)² = 400 × the unit spectrum
  private static final double DAYS = 1800; // five cycles of 330 d ON + 30 d OFF
  private static final double[] EDGES = {2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 40, 55};
  private static final double[] FLAT_EDGES = {5, 15, 25, 35, 45, 55, 65, 75, 85, 90};

  private static NudaqConfig config;
  private static GroundTruth truth;
  private static final long[][] histogram = new long[EventClass.values().length][EDGES.length - 1];
  private static final long[] continuumFlat = new long[FLAT_EDGES.length - 1];
  private static BinnedExpectedSpectra expected;

  @BeforeAll
  static void simulateFiveYears() throws Exception {
    String yaml = Files.readString(Path.of("../config/gemma-1.yaml"))
        .replace("  injectMuMuB: 0\n", "  injectMuMuB: " + MU_INJECTED + "\n  statusIntervalSeconds: 3600\n")
        .replace("  naiSinglesHz: 50\n", "  naiSinglesHz: 0\n")
        .replace("  muonHz: 2\n", "  muonHz: 0\n")
        .replace("  burstEveryDays: 7\n", "  burstEveryDays: 0\n");
    config = new ConfigLoader().parse("gemma-1-acceptance.yaml", yaml);
    assertThat(config.simulator().injectMuMuB()).isEqualTo(MU_INJECTED);
    PhysicsModel model = ConfiguredPhysics.model(config);
    DetectorConfig det = config.detectors().get(0);
    expected = model.binnedExpectedSpectra(ConfiguredPhysics.binning(config.analysis()), ConfiguredPhysics.response(det));
    EventSink sink = new EventSink() {
      @Override
      public void onEvent(int d, boolean hpge, long t, double e, int flags, int cls) {
        int b = bin(EDGES, e);
        if (b >= 0) {
          histogram[cls][b]++;
        }
        if (cls == EventClass.CONTINUUM.ordinal()) {
          int f = bin(FLAT_EDGES, e);
          if (f >= 0) {
            continuumFlat[f]++;
          }
        }
      }

      @Override
      public void onStatus(long t, boolean on) {}
    };
    EventGenerator g = new EventGenerator(config,
        List.of(new PhysicsRecoilRates(model, config.simulator().injectMuMuB(), config.simulator().injectQE0())), sink);
    g.generateUntil(Math.round(DAYS * 86_400e9));
    truth = g.truth();
  }

  private static int bin(double[] edges, double e) {
    if (e < edges[0] || e >= edges[edges.length - 1]) {
      return -1;
    }
    int i = 0;
    while (e >= edges[i + 1]) {
      i++;
    }
    return i;
  }

  /** Expected counts per wide bin from a per-keV·kg·day spectrum on the analysis binning. */
  private static double[] expectedCounts(double[] perKeVKgDay, double scale, double kgDays) {
    double[] edges = expected.binEdgesKeV();
    double[] out = new double[EDGES.length - 1];
    for (int i = 0; i < perKeVKgDay.length; i++) {
      int b = bin(EDGES, 0.5 * (edges[i] + edges[i + 1]));
      if (b >= 0) {
        out[b] += perKeVKgDay[i] * scale * (edges[i + 1] - edges[i]) * kgDays;
      }
    }
    return out;
  }

  private static double pValue(long[] observed, double[] expect) {
    double chi2 = 0;
    for (int i = 0; i < observed.length; i++) {
      chi2 += (observed[i] - expect[i]) * (observed[i] - expect[i]) / expect[i];
    }
    return 1 - new ChiSquaredDistribution(observed.length).cumulativeProbability(chi2);
  }

  private static void assertTotalWithin4Sigma(long[] observed, double[] expect) {
    double e = 0;
    long n = 0;
    for (int i = 0; i < observed.length; i++) {
      e += expect[i];
      n += observed[i];
    }
    assertThat((double) n).isCloseTo(e, within(4 * Math.sqrt(e)));
  }

  private static double onKgDays() {
    return config.detectors().get(0).massKg() * truth.liveTimeSeconds(0, true) / 86_400;
  }

  @Test
  void injectedMagneticMomentSpectrumAndRateMatchTheMonitorsExpectation() {
    // (μ / 1e-11 μB)² times the unit spectrum, over the reactor-ON live exposure.
    double scale = Math.pow(MU_INJECTED / BinnedExpectedSpectra.MU_UNIT_MUB, 2);
    double[] e = expectedCounts(expected.muUnitPerKeVKgDay(), scale, onKgDays());
    long[] n = histogram[EventClass.NEUTRINO_MAGNETIC.ordinal()];
    assertThat(e[0] + e[1] + e[2]).as("enough statistics near threshold").isGreaterThan(1000);
    assertThat(pValue(n, e)).isGreaterThan(0.001);
    assertTotalWithin4Sigma(n, e);
  }

  @Test
  void weakSpectrumAndRateMatchTheMonitorsExpectation() {
    double[] e = expectedCounts(expected.weakPerKeVKgDay(), 1, onKgDays());
    long[] n = histogram[EventClass.NEUTRINO_WEAK.ordinal()];
    double total = 0;
    for (double x : e) {
      total += x;
    }
    assertThat(total).as("enough weak events").isGreaterThan(500);
    assertThat(pValue(n, e)).isGreaterThan(0.001);
    assertTotalWithin4Sigma(n, e);
    // No neutrinos while OFF: the OFF exposure exists, and the ON real time is 1650 of 1800 days.
    assertThat(truth.realTimeSeconds(false)).isEqualTo(150 * 86_400.0);
  }

  @Test
  void continuumIsFlatAtTheConfiguredBackgroundOverTheWholeLiveTime() {
    // Flat 2.5 counts/(keV·kg·day) · 1.5 kg · live days (ON + OFF) per keV, far above threshold
    // (efficiency 1) and below the 100 keV end of the generated range (no resolution leakage).
    DetectorConfig det = config.detectors().get(0);
    double kgDays = det.massKg() * (truth.liveTimeSeconds(0, true) + truth.liveTimeSeconds(0, false)) / 86_400;
    double[] e = new double[continuumFlat.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = det.backgroundPerKeVKgDay() * (FLAT_EDGES[i + 1] - FLAT_EDGES[i]) * kgDays;
    }
    assertThat(pValue(continuumFlat, e)).isGreaterThan(0.001);
    assertTotalWithin4Sigma(continuumFlat, e);
  }
}
