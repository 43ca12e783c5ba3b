package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.sim.generator.EventClass;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.GroundTruth;

/**
 * The pipeline driven straight from the simulator's event generator (GEMMA-I profile, raised
 * Compton, noise and burst rates), 2 days ON then 1 day OFF, compared with the generator's ground
 * truth.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorPipelineTest {
  private static final double DAYS = 3;
  private static final double SECONDS_PER_DAY = 86_400;

  private NudaqConfig config;
  private EventPipeline pipeline;
  private SimulatorFeed feed;
  private GroundTruth truth;
  private PipelineSnapshot snapshot;

  @BeforeAll
  void run() {
    config = GeneratorRuns.gemma1RaisedRates(2, 1, 0.5);
    pipeline = new EventPipeline(config);
    feed = new SimulatorFeed(config, pipeline);
    EventGenerator generator = new EventGenerator(config, List.of(GeneratorRuns.FLAT), feed);
    feed.start(generator);
    generator.generateUntil(Math.round(DAYS * SECONDS_PER_DAY * 1e9));
    truth = generator.truth();
    assertThat(pipeline.accountingBalances()).isTrue(); // mid-stream, with events still pending
    pipeline.finish();
    snapshot = pipeline.publish(Instant.EPOCH);
  }

  private long hpgeTriggered() {
    long n = 0;
    for (EventClass c : EventClass.values()) {
      if (c.isHpge()) {
        n += truth.triggered(0, c);
      }
    }
    return n;
  }

  @Test
  void accountsForEveryGeneratedEventExactly() {
    assertThat(truth.summary().get("pendingOverflow")).isEqualTo(0L);
    assertThat(pipeline.received(0, 0)).isEqualTo(hpgeTriggered());
    assertThat(pipeline.pending()).isZero();
    assertThat(pipeline.accountingBalances()).isTrue();
    PipelineSnapshot.Totals t = snapshot.totals();
    long rejected = t.rejected().values().stream().mapToLong(Long::longValue).sum();
    long gated = t.gated().values().stream().mapToLong(Long::longValue).sum();
    assertThat(t.accepted() + t.vetoed() + rejected + gated).isEqualTo(t.received());
    assertThat(t.rejected().get(RejectReason.LATE)).isZero();
    assertThat(t.forcedEmits()).isZero();
  }

  @Test
  void liveTimesBeforeGatesMatchTheGroundTruth() {
    for (boolean on : new boolean[] {true, false}) {
      ReactorState state = on ? ReactorState.ON : ReactorState.OFF;
      double expected = truth.liveTimeSeconds(0, on);
      assertThat(pipeline.liveTimeBeforeGatesSeconds(0, state)).isCloseTo(expected, within(1e-6 * expected));
    }
    assertThat(truth.realTimeSeconds(true)).isEqualTo(2 * SECONDS_PER_DAY);
    assertThat(pipeline.liveTimeBeforeGatesSeconds(0, ReactorState.UNKNOWN)).isZero();
  }

  @Test
  void vetoRemovesComptonEventsAndFalselyVetoesAtTheRandomCoincidenceRate() {
    long compton = truth.triggered(0, EventClass.COMPTON_HPGE);
    long others = hpgeTriggered() - compton - truth.triggered(0, EventClass.MUON_INDUCED);
    // NaI hits above naiThresholdKeV = 40: singles are 20 keV + exponential(300 keV), so a fraction
    // exp(-20/300) of them; muons (20-60 MeV) and Compton partners (50-1000 keV) all.
    double realSeconds = truth.realTimeSeconds(true) + truth.realTimeSeconds(false);
    double vetoRateHz = (truth.naiTriggered(0, EventClass.NAI_SINGLE) * Math.exp(-20.0 / 300.0)
        + truth.naiTriggered(0, EventClass.NAI_MUON) + truth.naiTriggered(0, EventClass.NAI_COMPTON)) / realSeconds;
    // Window [t - 1000 ns, t + 2000 ns] on a 4 ns tick grid: 3000 ns + one tick.
    double pFalse = 1 - Math.exp(-vetoRateHz * 3004e-9);
    double expectedFalse = pFalse * others;
    double sigma = Math.sqrt(expectedFalse * (1 - pFalse));
    // Muon-induced HPGe hits come 1-50 µs after their muon: outside the 1 µs look-back (but for the
    // 1-in-49000 exactly at 1 µs), hence left out of both sides.
    long vetoed = pipeline.vetoed(0, 0);
    assertThat(compton).isGreaterThan(300_000);
    // Every Compton event is vetoed (efficiency 1): any inefficiency of even 1e-4 (30 events) would
    // show up as a deficit far beyond the statistical spread of the false vetoes.
    assertThat((double) vetoed - compton).isCloseTo(expectedFalse, within(5 * sigma + 2));
    assertThat(expectedFalse).isGreaterThan(30);
  }

  @Test
  void excludesNoiseBurstsByDataQualityAndSubtractsGatedLiveTime() {
    int bursts = truth.burstsNs().size();
    assertThat(bursts).isGreaterThan(2);
    long bad = pipeline.badSlices(0);
    // A 60 s burst covers one or two 60 s slices.
    assertThat(bad).isBetween((long) bursts, 2L * bursts);
    double before = pipeline.liveTimeBeforeGatesSeconds(0, ReactorState.ON) + pipeline.liveTimeBeforeGatesSeconds(0, ReactorState.OFF);
    double after = pipeline.liveTimeSeconds(0, ReactorState.ON) + pipeline.liveTimeSeconds(0, ReactorState.OFF);
    // Gated: the bad slices (60 s each) plus 100 µs per muon outside them (about muonHz · 60 s of the
    // muons fall in each bad slice, ±0.003 s in total; overlapping muon gates ~0.005 s).
    double realSeconds = truth.realTimeSeconds(true) + truth.realTimeSeconds(false);
    double muonsInBadSlices = pipeline.muons() / realSeconds * bad * 60.0;
    double expectedGated = bad * 60.0 + (pipeline.muons() - muonsInBadSlices) * 100e-6;
    assertThat(before - after).isCloseTo(expectedGated, within(0.02));
    PipelineSnapshot.DetectorSnapshot det = snapshot.detectors().get(0);
    assertThat(det.spectrum(Stage.AFTER_GATES, ReactorState.ON).liveTimeSeconds()).isEqualTo(pipeline.liveTimeSeconds(0, ReactorState.ON));
    assertThat(det.spectrum(Stage.AFTER_GATES, ReactorState.ON).entryCount() + det.spectrum(Stage.AFTER_GATES, ReactorState.OFF).entryCount())
        .isEqualTo(pipeline.accepted(0, 0));
  }
}
