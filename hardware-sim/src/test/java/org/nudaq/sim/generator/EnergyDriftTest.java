package org.nudaq.sim.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DriftConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.junit.jupiter.api.Test;

/**
 * The simulator's drift of the energy scale (issue 17): a single line recorded at E·gain(t) + offset(t),
 * its width scaled by the resolution factor, a step from its time on, and the pulser line; each checked
 * statistically against the formula of {@link DriftConfig} (mean within 4 standard errors).
 */
class EnergyDriftTest {
  private static final long DAY_NS = 86_400L * 1_000_000_000L;
  private static final RecoilRates NO_NEUTRINOS = new RecoilRates() {
    @Override public double weakPerKeVKgDay(double t) { return 0; }
    @Override public double magneticPerKeVKgDay(double t) { return 0; }
    @Override public double millichargePerKeVKgDay(double t) { return 0; }
  };

  private static NudaqConfig config(String drift) {
    return new ConfigLoader().parse("drift.yaml", """
        reactor: {thermalPowerMW: 3000, distanceM: 13.9}
        detectors:
          - {name: ge, massKg: 1.0, thresholdKeV: 2.0, thresholdWidthKeV: 0.1, noiseFwhmKeV: 0.5, backgroundPerKeVKgDay: 0}
        analysis: {spectrumLowKeV: 0, spectrumHighKeV: 100, windowHighKeV: 55}
        simulator:
          seed: 3
          schedule: [{state: on, days: 400}]
          comptonPerKeVKgDay: 0
          xrayLines: [{name: Ga, energyKeV: 10.37, halfLifeDays: 1e9, initialPerKgDay: 20000}]
          tritiumPerKgDay: 0
          noisePerKgDay: 0
          burstEveryDays: 0
          naiSinglesHz: 0
          muonHz: 0
          drift:
        %s
        """.formatted(drift.indent(4)));
  }

  /** Mean and standard deviation of the recorded energies of one class in [fromNs, toNs). */
  private static double[] moments(NudaqConfig c, long fromNs, long toNs, EventClass cls) {
    double[] sum = new double[3];
    EventGenerator g = new EventGenerator(c, List.of(NO_NEUTRINOS), new EventSink() {
      @Override public void onEvent(int d, boolean hpge, long t, double e, int flags, int k) {
        if (t >= fromNs && k == cls.ordinal()) {
          sum[0]++;
          sum[1] += e;
          sum[2] += e * e;
        }
      }
      @Override public void onStatus(long t, boolean on) {}
    });
    g.generateUntil(fromNs);
    g.generateUntil(toNs);
    double mean = sum[1] / sum[0];
    return new double[] {mean, Math.sqrt(sum[2] / sum[0] - mean * mean), sum[0]};
  }

  @Test
  void aLineMovesWithTheGainTrendAndTheStep() {
    NudaqConfig c = config("""
        gainPerYear: 0.01
        offsetKeVPerYear: 0.02
        steps: [{atDays: 100, gain: 0.003}]
        """);
    DriftConfig d = c.simulator().drift();
    // A quarter day around day 200 (two days of generation are enough: the trend over them is tiny).
    long from = 200 * DAY_NS;
    long to = from + DAY_NS / 4;
    double[] m = moments(c, from, to, EventClass.XRAY_LINE);
    long mid = from + DAY_NS / 8;
    // Hand calculation: gain = 1 + 0.01·200/365.25 + 0.003 = 1.0084757; offset = 0.02·200/365.25 = 0.010951 keV.
    double expected = 10.37 * (1 + 0.01 * 200 / 365.25 + 0.003) + 0.02 * 200 / 365.25;
    assertThat(d.gainAt(mid) * 10.37 + d.offsetKeVAt(mid)).isCloseTo(expected, within(1e-4));
    assertThat(m[2]).isGreaterThan(1000);
    assertThat(m[0]).isCloseTo(expected, within(4 * m[1] / Math.sqrt(m[2])));
    // Without drift the line sits 0.0984 keV lower: many standard errors away.
    assertThat(expected - 10.37).isGreaterThan(20 * m[1] / Math.sqrt(m[2]));
  }

  @Test
  void theDailyCycleAndTheResolutionFollowTheConfiguration() {
    NudaqConfig c = config("""
        gainDailyAmplitude: 0.002
        resolutionPerYear: 1.0
        """);
    // Quarter of a day: sin = 1, gain 1.002; three hours around 6 h average the sine to 0.9886.
    long from = 365 * DAY_NS + DAY_NS / 4 - DAY_NS / 16;
    long to = from + DAY_NS / 8;
    double[] m = moments(c, from, to, EventClass.XRAY_LINE);
    double meanSine = Math.sin(Math.PI / 8) / (Math.PI / 8); // ⟨sin⟩ over ±π/8 around π/2
    double expected = 10.37 * (1 + 0.002 * meanSine);
    assertThat(m[0]).isCloseTo(expected, within(4 * m[1] / Math.sqrt(m[2])));
    // σ after one year with resolutionPerYear 1: twice the nominal one (≈ 0.27 keV at 10.37 keV).
    double[] nominal = moments(config("gainDailyAmplitude: 0"), 0, DAY_NS / 8, EventClass.XRAY_LINE);
    double ratio = m[1] / nominal[1];
    assertThat(ratio).isCloseTo(1 + 365 / 365.25, within(0.1));
  }

  @Test
  void thePulserIsALineAtItsEnergyWithTheNoiseWidth() {
    NudaqConfig c = config("""
        pulser: {energyKeV: 60, hz: 0.5}
        """);
    double[] m = moments(c, 0, DAY_NS / 8, EventClass.PULSER);
    // 0.5 Hz for 3 h = 5400 pulses (Poisson); width = noise only, σ = 0.5/2.3548 = 0.2123 keV.
    assertThat(m[2]).isCloseTo(5400, within(4 * Math.sqrt(5400)));
    assertThat(m[0]).isCloseTo(60, within(4 * 0.2123 / Math.sqrt(m[2])));
    assertThat(m[1]).isCloseTo(0.2123, within(0.01));
  }
}
