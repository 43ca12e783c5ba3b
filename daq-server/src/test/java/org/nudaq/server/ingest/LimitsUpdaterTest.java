package org.nudaq.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hipparchus.random.RandomDataGenerator;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.analysis.AnalysisTemplates;
import org.nudaq.monitor.analysis.ExperimentLimits;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.SpectrumLabels;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.Stage;

/**
 * The limits thread: offers never wait for a computation, offers made while it is busy coalesce
 * into the newest one, and its result is the real limits of the newest snapshot.
 */
class LimitsUpdaterTest {
  private static final NudaqConfig GEMMA1 = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  /** A snapshot of one detector with ON/OFF spectra drawn from the templates (400 d ON, 100 d OFF). */
  private static PipelineSnapshot snapshot(AnalysisTemplates t, long seed, Instant at) {
    RandomDataGenerator rng = new RandomDataGenerator(seed);
    int bins = GEMMA1.analysis().binCount();
    long[] on = new long[bins];
    long[] off = new long[bins];
    double[] b = t.backgroundPerDay();
    double[] w = t.weakPerDay();
    for (int k = 0; k < t.binCount(); k++) {
      on[t.spectrumBinOf(k)] = rng.nextPoisson(400 * (b[k] + w[k]));
      off[t.spectrumBinOf(k)] = rng.nextPoisson(100 * b[k]);
    }
    Binning binning = new Binning(0, 0.1, bins);
    List<SpectrumSnapshot> spectra = new ArrayList<>();
    for (Stage stage : Stage.values()) {
      for (ReactorState state : new ReactorState[] {ReactorState.OFF, ReactorState.ON}) {
        boolean isOn = state == ReactorState.ON;
        spectra.add(new SpectrumSnapshot(new SpectrumLabels("s", "hpge-1", isOn ? "on" : "off", stage.label()), binning, 1.5,
            (isOn ? 400 : 100) * 86_400.0, 0, 0, 0, isOn ? on : off, at));
      }
    }
    assertThat(ReactorState.OFF.ordinal()).isZero(); // the snapshot's [stage][state] layout
    PipelineSnapshot.DetectorSnapshot d = new PipelineSnapshot.DetectorSnapshot("hpge-1", 400 * 86_400.0, 100 * 86_400.0,
        400 * 86_400.0, 100 * 86_400.0, 0, 0, 0, spectra, 400 * 86_400.0); // nominal power throughout
    PipelineSnapshot.Totals totals = new PipelineSnapshot.Totals(0, 0, 0, Map.of(), Map.of(), 0, 0, 0, 0, 0);
    return new PipelineSnapshot(at, 0, ReactorState.ON, List.of(d), List.of(), List.of(), totals);
  }

  @Test
  void offersWhileTheLimitsThreadIsBusyNeverWaitAndCoalesceIntoTheNewest() throws Exception {
    ExperimentLimits limits = ExperimentLimits.forConfig(GEMMA1);
    ExecutorService single = Executors.newSingleThreadExecutor();
    LimitsUpdater updater = new LimitsUpdater(limits, single);
    CountDownLatch busy = new CountDownLatch(1);
    single.execute(() -> {
      try {
        busy.await(); // the limits thread is held as if a long computation ran
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<PipelineSnapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      snapshots.add(snapshot(limits.templates(), i, t0.plusSeconds(i)));
    }
    // All 30 offers return although nothing can be computed: the caller (the pipeline thread) never waits.
    for (PipelineSnapshot s : snapshots) {
      updater.offer(s);
    }
    assertThat(updater.computed()).isZero();
    assertThat(updater.latest()).isNull();
    busy.countDown();
    assertThat(updater.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
    // One computation, from the newest snapshot; the 29 older ones were skipped.
    assertThat(updater.computed()).isEqualTo(1);
    assertThat(updater.coalesced()).isEqualTo(29);
    assertThat(updater.latest().computedAt()).isEqualTo(t0.plusSeconds(29));
    PipelineSnapshot last = snapshots.get(29);
    var direct = ExperimentLimits.forConfig(GEMMA1).update(
        List.of(last.detectors().get(0).spectrum(Stage.AFTER_GATES, ReactorState.ON)),
        List.of(last.detectors().get(0).spectrum(Stage.AFTER_GATES, ReactorState.OFF)), last.takenAt());
    assertThat(updater.latest().muLimit()).isEqualTo(direct.muLimit());
    assertThat(updater.latest().muExpected()).isEqualTo(direct.muExpected());

    // Later offers are computed again; after close nothing more is.
    updater.offer(snapshot(limits.templates(), 99, t0.plusSeconds(100)));
    assertThat(updater.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
    assertThat(updater.computed()).isEqualTo(2);
    assertThat(updater.latest().computedAt()).isEqualTo(t0.plusSeconds(100));
    updater.close();
    updater.offer(snapshot(limits.templates(), 100, t0.plusSeconds(200)));
    assertThat(updater.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
    assertThat(updater.computed()).isEqualTo(2);
    assertThat(single.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }
}
