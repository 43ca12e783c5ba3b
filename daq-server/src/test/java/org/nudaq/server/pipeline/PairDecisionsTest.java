package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.NudaqConfig;

/**
 * Issue 19: the decision stage's two-cursor path ({@code DecisionStage.onMergedPair}, one HPGe and one NaI
 * channel taken a chunk at a time) gives exactly the state of the merge's run-by-run path. The reference is
 * the same pipeline with an export's fate tracking, which takes the run-by-run path; both get the same input
 * and their complete states are compared bit for bit after every batch. The input is made to cross what
 * ends a chunk: veto hits around HPGe events (ties at equal times too), muons, HPGe bursts that fill the
 * look-ahead, short data-quality slices, reactor-state changes with transition margins and the UNKNOWN
 * state, pile-up and saturation flags, and rings that wrap (a small merge capacity) or not.
 */
class PairDecisionsTest {
  private static final EventFateSink IGNORE = new EventFateSink() {
    @Override
    public void onEvent(int source, long timeNs, int energyAdc, int flags, ReactorState state, EventFate fate) {}

    @Override
    public void onUnknownChannel(int boardId, int channel, long timeNs, int energyAdc, int flags) {}

    @Override
    public void onReactorState(long timeNs, ReactorState state, double powerFraction) {}
  };

  @ParameterizedTest(name = "merge capacity {0}")
  @CsvSource({"1024", "65536"})
  void twoCursorsGiveTheStateOfRunByRun(int mergeCapacity) {
    NudaqConfig base = TestConfigs.gemma1();
    NudaqConfig config = TestConfigs.withGates(base,
        TestConfigs.gates(base, true, true, GateConfig.ReactorStateSource.DIGITIZER, 0.0003, 0.001));
    EventPipeline pairs = new EventPipeline(config, mergeCapacity, 16, null);
    EventPipeline runs = new EventPipeline(config, mergeCapacity, 16, IGNORE);
    EventPipeline[] both = {pairs, runs};
    SplittableRandom r = new SplittableRandom(1919);
    long[] next = {1000, 1000};
    int status = 0;
    for (int batch = 0; batch < 600; batch++) {
      boolean batched = batch % 7 != 3; // some events offered one by one, each drained at once
      for (EventPipeline p : both) {
        if (batched) {
          p.beginBatch();
        }
      }
      int aggregates = 1 + r.nextInt(12);
      for (int a = 0; a < aggregates; a++) {
        int channel = r.nextInt(5) == 0 ? 0 : 1;
        boolean burst = channel == 0 && r.nextInt(15) == 0; // HPGe events closer than the veto window
        int n = burst ? 40 : 1 + r.nextInt(40);
        for (int k = 0; k < n; k++) {
          long ticks = next[channel] + 1 + (burst ? r.nextLong(3) : r.nextLong(channel == 0 ? 2500 : 900));
          int edge = r.nextInt(20);
          // 4 ns ticks: a veto window's edges are windowAfter (2000 ns) after an HPGe event, windowBefore (1000 ns) before.
          long edgeTicks = next[1 - channel] + (edge == 0 ? 0 : channel == 1 ? 500 : 250);
          if (edge < 2 && edgeTicks > next[channel]) {
            ticks = edgeTicks; // a tie in the merge, or a hit at the edge of the veto window
          }
          next[channel] = ticks;
          int adc;
          int flags = 0;
          if (channel == 0) {
            adc = r.nextInt(1 << 16);
            int f = r.nextInt(200);
            flags = f == 0 ? 0x1 : f == 1 ? 0x2 : 0;
          } else {
            int pick = r.nextInt(100);
            adc = pick < 25 ? r.nextInt(200) : pick == 25 ? 60_000 : 200 + r.nextInt(20_000); // < 40 keV, muon, hit
          }
          for (EventPipeline p : both) {
            p.onEvent(0, channel, ticks, adc, flags, 0);
          }
        }
      }
      for (EventPipeline p : both) {
        if (batched) {
          p.endBatch();
        }
      }
      if (batch % 10 == 9) {
        status++;
        int reactor = status % 13 == 0 ? 2 : status % 10 < 6 ? 1 : 0; // ON, OFF, now and then UNKNOWN
        long boardTicks = Math.min(next[0], next[1]) - 500;
        for (EventPipeline p : both) {
          p.onStatusBegin(0, boardTicks, boardTicks, reactor);
          p.onStatusEnd(0);
        }
      }
      assertThat(PipelineStates.of(pairs)).as("state after batch %d", batch).isEqualTo(PipelineStates.of(runs));
    }
    pairs.finish();
    runs.finish();
    assertThat(PipelineStates.of(pairs)).isEqualTo(PipelineStates.of(runs));
    PipelineSnapshot.Totals totals = pairs.publish(Instant.EPOCH).totals();
    assertThat(totals).isEqualTo(runs.publish(Instant.EPOCH).totals());
    // The two-cursor path took most events, and the stream crossed what ends a chunk.
    assertThat(pairs.pairedEvents()).isGreaterThan(totals.received() / 3);
    assertThat(runs.pairedEvents()).isZero();
    assertThat(totals.vetoed()).isPositive();
    assertThat(totals.muons()).isPositive();
    assertThat(totals.gated().get(GateReason.MUON)).isPositive();
    assertThat(totals.gated().get(GateReason.REACTOR_TRANSITION)).isPositive();
    assertThat(totals.gated().get(GateReason.REACTOR_UNKNOWN)).isPositive();
    assertThat(runs.lookaheadOverflows()).isPositive();
  }
}
