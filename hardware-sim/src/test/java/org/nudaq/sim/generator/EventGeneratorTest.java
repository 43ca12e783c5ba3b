package org.nudaq.sim.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
  private static final long DAY_NS = 86_400L * 1_000_000_000L;

  /** One 1 kg detector, thresholds and resolution small, only the processes a test switches on. */
  private static NudaqConfig config(String simulatorYaml) {
    return new ConfigLoader().parse("test.yaml", """
        reactor: {thermalPowerMW: 3000, distanceM: 13.9}
        detectors:
          - {name: ge, massKg: 1.0, thresholdKeV: 2.0, thresholdWidthKeV: 0.1, noiseFwhmKeV: 0.5, backgroundPerKeVKgDay: %s}
        analysis: {spectrumLowKeV: 0, spectrumHighKeV: 100, windowHighKeV: 55}
        simulator:
        %s
        """.formatted(simulatorYaml.contains("continuum0") ? "0" : "100", simulatorYaml.indent(2).replace("continuum0", "")));
  }

  private static final String QUIET = """
      seed: 7
      schedule: [{state: on, days: 10}, {state: off, days: 5}]
      comptonPerKeVKgDay: 0
      xrayLines: []
      tritiumPerKgDay: 0
      noisePerKgDay: 0
      burstEveryDays: 0
      naiSinglesHz: 0
      muonHz: 0
      hpgeDeadTimeNs: 10000
      """;

  private static final RecoilRates NO_NEUTRINOS = new RecoilRates() {
    @Override public double weakPerKeVKgDay(double t) { return 0; }
    @Override public double magneticPerKeVKgDay(double t) { return 0; }
    @Override public double millichargePerKeVKgDay(double t) { return 0; }
  };

  /** Records events as they arrive. */
  private static final class Recorder implements EventSink {
    final List<long[]> events = new ArrayList<>();
    final List<double[]> energies = new ArrayList<>();
    final List<long[]> statuses = new ArrayList<>();
    @Override public void onEvent(int d, boolean hpge, long t, double e, int flags, int cls) {
      events.add(new long[] {d, hpge ? 1 : 0, t, flags, cls});
      energies.add(new double[] {e});
    }
    @Override public void onStatus(long t, boolean on) {
      statuses.add(new long[] {t, on ? 1 : 0});
    }
  }

  @Test
  void sameSeedGivesTheSameEvents() {
    NudaqConfig c = config(QUIET);
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    new EventGenerator(c, List.of(NO_NEUTRINOS), a).generateUntil(DAY_NS);
    new EventGenerator(c, List.of(NO_NEUTRINOS), b).generateUntil(DAY_NS);
    assertThat(a.events).hasSizeGreaterThan(1000);
    assertThat(a.events).usingRecursiveComparison().isEqualTo(b.events);
    assertThat(a.energies).usingRecursiveComparison().isEqualTo(b.energies);
  }

  @Test
  void generatingInChunksEqualsGeneratingAtOnce() {
    NudaqConfig c = config(QUIET);
    Recorder whole = new Recorder();
    Recorder chunks = new Recorder();
    new EventGenerator(c, List.of(NO_NEUTRINOS), whole).generateUntil(2 * DAY_NS);
    EventGenerator g = new EventGenerator(c, List.of(NO_NEUTRINOS), chunks);
    // Chunk boundaries restart the exponential waiting time; by memorylessness the statistics are
    // the same, but the sequence differs, so compare counts, not events.
    for (int i = 1; i <= 48; i++) {
      g.generateUntil(i * DAY_NS / 24);
    }
    assertThat(g.nowNs()).isEqualTo(2 * DAY_NS);
    double expected = whole.events.size();
    assertThat((double) chunks.events.size()).isCloseTo(expected, within(5 * Math.sqrt(expected)));
  }

  @Test
  void eventsComeInTimeOrderAndStatusFramesMarkEverySecondAndTransition() {
    NudaqConfig c = config(QUIET.replace("naiSinglesHz: 0", "naiSinglesHz: 5").replace("muonHz: 0", "muonHz: 1")
        .replace("comptonPerKeVKgDay: 0", "comptonPerKeVKgDay: 1000"));
    Recorder r = new Recorder();
    new EventGenerator(c, List.of(NO_NEUTRINOS), r).generateUntil(2 * 3600L * 1_000_000_000L);
    long previous = Long.MIN_VALUE;
    for (long[] e : r.events) {
      assertThat(e[2]).isGreaterThanOrEqualTo(previous);
      previous = e[2];
    }
    assertThat(r.statuses).hasSize(7200);
    assertThat(r.statuses.get(0)[0]).isEqualTo(1_000_000_000L);
  }

  @Test
  void flatContinuumHasTheConfiguredRateAboveThreshold() {
    NudaqConfig c = config(QUIET.replace("hpgeDeadTimeNs: 10000", "hpgeDeadTimeNs: 0"));
    Recorder r = new Recorder();
    EventGenerator g = new EventGenerator(c, List.of(NO_NEUTRINOS), r);
    g.generateUntil(15 * DAY_NS);
    // 100 counts/(keV·kg·day) · 1 kg · 15 days: between 10 and 50 keV (far from threshold and edge)
    // we expect 100 · 40 · 15 = 60000 counts.
    long inBand = 0;
    for (double[] e : r.energies) {
      if (e[0] >= 10 && e[0] < 50) {
        inBand++;
      }
    }
    assertThat((double) inBand).isCloseTo(60_000, within(4 * Math.sqrt(60_000)));
    assertThat(g.truth().realTimeSeconds(true)).isEqualTo(10 * 86_400.0);
    assertThat(g.truth().realTimeSeconds(false)).isEqualTo(5 * 86_400.0);
  }

  @Test
  void neutrinoEventsOnlyWhileTheReactorIsOn() {
    RecoilRates flat = new RecoilRates() {
      @Override public double weakPerKeVKgDay(double t) { return 50; }
      @Override public double magneticPerKeVKgDay(double t) { return 0; }
      @Override public double millichargePerKeVKgDay(double t) { return 0; }
    };
    NudaqConfig c = config(QUIET + "continuum0");
    Recorder r = new Recorder();
    EventGenerator g = new EventGenerator(c, List.of(flat), r);
    g.generateUntil(15 * DAY_NS);
    for (long[] e : r.events) {
      assertThat(e[2]).as("a neutrino event during the OFF period").isLessThan(10 * DAY_NS);
      assertThat(e[4]).isEqualTo(EventClass.NEUTRINO_WEAK.ordinal());
    }
    // 50/(keV·kg·day) over ~98 keV above threshold for 10 days ≈ 49000.
    assertThat((double) g.truth().triggered(0, EventClass.NEUTRINO_WEAK)).isCloseTo(49_000, within(1500.0));
  }

  @Test
  void deadTimeLosesFollowingEventsAndIsSubtractedFromLiveTime() {
    // 100 Hz of bursts with a 1 ms dead time: a tenth of the time is dead.
    NudaqConfig c = config(QUIET.replace("hpgeDeadTimeNs: 10000", "hpgeDeadTimeNs: 1000000") + "continuum0"
        .replace("continuum0", "") + "noisePerKgDay: 0\n".replace("noisePerKgDay: 0\n", ""));
    String yaml = QUIET.replace("hpgeDeadTimeNs: 10000", "hpgeDeadTimeNs: 1000000").replace("noisePerKgDay: 0", "noisePerKgDay: 8640000");
    c = config(yaml + "continuum0");
    Recorder r = new Recorder();
    EventGenerator g = new EventGenerator(c, List.of(NO_NEUTRINOS), r);
    g.generateUntil(DAY_NS / 24);
    long triggered = g.truth().triggered(0, EventClass.NOISE);
    long lost = g.truth().deadTimeLost(0, EventClass.NOISE);
    // Non-paralysable dead time τ at input rate λ: recorded rate λ/(1+λτ) = 100/1.1 = 90.9 Hz.
    assertThat(triggered / 3600.0).isCloseTo(100 / 1.1, within(1.0));
    assertThat(triggered + lost).isCloseTo(360_000L, org.assertj.core.data.Offset.offset(3000L));
    double live = g.truth().liveTimeSeconds(0, true);
    assertThat(live).isCloseTo(3600 - triggered * 1e-3, within(1e-3 + 1e-9));
    // The board's counter agrees with the ground truth at the end of the generated time.
    assertThat(g.deadTimeNsUntil(0, g.nowNs()) * 1e-9).isCloseTo(3600 - live, within(1e-9));
  }

  @Test
  void xrayLinesDecayWithTheirHalfLife() {
    String yaml = QUIET.replace("xrayLines: []", "xrayLines: [{name: short, energyKeV: 10.37, halfLifeDays: 2, initialPerKgDay: 20000}]")
        .replace("schedule: [{state: on, days: 10}, {state: off, days: 5}]", "schedule: [{state: on, days: 100}]");
    NudaqConfig c = config(yaml + "continuum0");
    Recorder r = new Recorder();
    EventGenerator g = new EventGenerator(c, List.of(NO_NEUTRINOS), r);
    g.generateUntil(4 * DAY_NS);
    long firstTwoDays = 0;
    long nextTwoDays = 0;
    double sum = 0;
    for (int i = 0; i < r.events.size(); i++) {
      sum += r.energies.get(i)[0];
      if (r.events.get(i)[2] < 2 * DAY_NS) {
        firstTwoDays++;
      } else {
        nextTwoDays++;
      }
    }
    // ∫0^2 20000·2^(−t/2) dt = 20000·2/ln2·(1 − 1/2) = 28854; the next two days half of that.
    assertThat((double) firstTwoDays).isCloseTo(28_854, within(4 * Math.sqrt(28_854)));
    assertThat((double) nextTwoDays).isCloseTo(14_427, within(4 * Math.sqrt(14_427)));
    assertThat(sum / r.events.size()).isCloseTo(10.37, within(0.01));
  }

  @Test
  void rateMultiplierScalesEveryProcessOnlyWhileSet() {
    NudaqConfig c = config(QUIET.replace("hpgeDeadTimeNs: 10000", "hpgeDeadTimeNs: 0")
        .replace("naiSinglesHz: 0", "naiSinglesHz: 0.1"));
    Recorder r = new Recorder();
    EventGenerator g = new EventGenerator(c, List.of(NO_NEUTRINOS), r);
    g.generateUntil(DAY_NS);
    g.setRateMultiplier(10);
    g.generateUntil(2 * DAY_NS);
    g.setRateMultiplier(1);
    g.generateUntil(3 * DAY_NS);
    long[] hpgeBand = new long[3];
    long[] nai = new long[3];
    for (int i = 0; i < r.events.size(); i++) {
      long[] e = r.events.get(i);
      int day = (int) (e[2] / DAY_NS);
      double energy = r.energies.get(i)[0];
      if (e[1] == 1 && energy >= 10 && energy < 50) {
        hpgeBand[day]++;
      } else if (e[1] == 0) {
        nai[day]++;
      }
    }
    // Continuum 100/(keV·kg·day) · 40 keV · 1 kg = 4000 per day; ×10 on the second day.
    assertThat((double) hpgeBand[0]).isCloseTo(4_000, within(4 * Math.sqrt(4_000)));
    assertThat((double) hpgeBand[1]).isCloseTo(40_000, within(4 * Math.sqrt(40_000)));
    assertThat((double) hpgeBand[2]).isCloseTo(4_000, within(4 * Math.sqrt(4_000)));
    // NaI singles 0.1 Hz · 86400 s = 8640 per day; ×10 on the second day.
    assertThat((double) nai[1]).isCloseTo(86_400, within(4 * Math.sqrt(86_400)));
    assertThat((double) nai[2]).isCloseTo(8_640, within(4 * Math.sqrt(8_640)));
  }

  @Test
  void rateMultiplierRejectsNonPositiveFactors() {
    EventGenerator g = new EventGenerator(config(QUIET), List.of(NO_NEUTRINOS), new Recorder());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> g.setRateMultiplier(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k=0");
  }

  @Test
  void tritiumShapeVanishesAtTheEndpointAndPeaksAtLowEnergy() {
    assertThat(EventGenerator.tritiumShape(18.6)).isZero();
    assertThat(EventGenerator.tritiumShape(0)).isZero();
    assertThat(EventGenerator.tritiumShape(3)).isGreaterThan(EventGenerator.tritiumShape(12));
  }
}
