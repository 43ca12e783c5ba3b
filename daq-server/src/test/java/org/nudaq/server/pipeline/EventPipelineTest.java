package org.nudaq.server.pipeline;

import org.nudaq.monitor.wire.EventFlags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.GateConfig.ReactorStateSource;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;

class EventPipelineTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private final NudaqConfig gemma1 = TestConfigs.gemma1();

  private PipelineDriver started(NudaqConfig config) {
    PipelineDriver d = new PipelineDriver(new EventPipeline(config));
    d.status(0, 1);
    return d;
  }

  private PipelineDriver started() {
    return started(gemma1);
  }

  @Test
  void vetoesHpgeEventWithNaiHitInsideWindowAfter() {
    PipelineDriver d = started();
    d.hpge(10 * MS, 10.0);
    d.nai(10 * MS + 2000, 100.0); // exactly windowAfterNs = 2000 later: the window is closed
    d.pipeline.finish();
    assertThat(d.pipeline.vetoed()).isEqualTo(1);
    assertThat(d.pipeline.accepted(0, 0)).isZero();
    assertThat(d.pipeline.accountingBalances()).isTrue();
  }

  @Test
  void vetoesHpgeEventWithNaiHitInsideWindowBefore() {
    PipelineDriver d = started();
    d.nai(10 * MS - 1000, 100.0); // exactly windowBeforeNs = 1000 earlier
    d.hpge(10 * MS, 10.0);
    d.pipeline.finish();
    assertThat(d.pipeline.vetoed(0, 0)).isEqualTo(1);
  }

  @Test
  void keepsHpgeEventWithNaiHitsJustOutsideWindow() {
    PipelineDriver d = started();
    d.nai(10 * MS - 1004, 100.0); // one tick too early
    d.hpge(10 * MS, 10.0);
    d.nai(10 * MS + 2004, 100.0); // one tick too late
    d.pipeline.finish();
    assertThat(d.pipeline.vetoed()).isZero();
    assertThat(d.pipeline.accepted(0, 0)).isEqualTo(1);
    assertThat(d.pipeline.accepted(0, 1)).isEqualTo(2);
  }

  @Test
  void naiHitBelowThresholdDoesNotVeto() {
    PipelineDriver d = started();
    d.hpge(10 * MS, 10.0);
    d.nai(10 * MS + 100, 39.8); // naiThresholdKeV = 40
    d.pipeline.finish();
    assertThat(d.pipeline.vetoed()).isZero();
    assertThat(d.pipeline.accepted(0, 0)).isEqualTo(1);
  }

  @Test
  void vetoSeesNaiHitsOfEveryBoard() {
    PipelineDriver d = new PipelineDriver(new EventPipeline(TestConfigs.withSecondNaiBoard(gemma1)));
    d.status(0, 1);
    statusBoard1(d.pipeline, 0);
    d.hpge(10 * MS, 10.0);
    d.pipeline.onEvent(1, 0, (10 * MS + 500) / 4, 500, 0, 0); // 100 keV on the second board's NaI
    d.pipeline.finish();
    assertThat(d.pipeline.vetoed()).isEqualTo(1);
  }

  private static void statusBoard1(EventPipeline p, long tNs) {
    p.onStatusBegin(1, tNs / 4, tNs / 4, 1);
    p.onStatusChannel(1, 0, tNs / 4, 0, 0, 0);
    p.onStatusEnd(1);
  }

  @Test
  void gatesHpgeAfterMuonAndSubtractsOverlappingGatesOnce() {
    PipelineDriver d = started();
    long m1 = 100 * MS;
    d.nai(m1, 20_000.0);               // muon: gate [m1, m1 + 100 µs)
    d.hpge(m1 + 50_000, 10.0);         // inside: gated MUON
    d.nai(m1 + 60_000, 20_000.0);      // overlapping muon: gate extends to m1 + 160 µs
    d.hpge(m1 + 150_000, 10.0);        // inside the second gate
    d.hpge(m1 + 160_000, 10.0);        // gate end is exclusive: accepted
    long m2 = 300 * MS;
    d.nai(m2, 15_000.0);               // isolated muon: 100 µs
    d.hpge(m2 + 99_996, 10.0);         // last tick inside
    d.status(1 * S, 1);
    d.pipeline.finish();
    assertThat(d.pipeline.gated(0, 0, GateReason.MUON)).isEqualTo(3);
    assertThat(d.pipeline.accepted(0, 0)).isEqualTo(1);
    assertThat(d.pipeline.muons()).isEqualTo(3);
    // Live time before gates: 1 s of real time, no dead time. Gates: union of [0,100)∪[60,160) µs = 160 µs
    // plus 100 µs = 260 µs.
    assertThat(d.pipeline.liveTimeBeforeGatesSeconds(0, ReactorState.ON)).isEqualTo(1.0);
    assertThat(d.pipeline.liveTimeSeconds(0, ReactorState.ON)).isCloseTo(1.0 - 260e-6, within(1e-15));
  }

  @Test
  void deliversEventsOfInterleavedChannelsAndBoardsInTimeOrder() {
    NudaqConfig config = TestConfigs.withSecondNaiBoard(gemma1);
    ChannelMap map = new ChannelMap(config);
    Recorder out = new Recorder();
    TimeOrderedMerge merge = new TimeOrderedMerge(map, 16, 5.0, out);
    // Board 0 sends a channel-0 aggregate, then a channel-1 aggregate reaching back in time.
    merge.offer(0, 100, 0, 0);
    merge.offer(0, 300, 0, 0);
    merge.offer(0, 500, 0, 0);
    merge.offer(1, 50, 0, 0);
    merge.offer(1, 400, 0, 0);
    assertThat(out.count).isZero(); // board 1 has said nothing yet: within the idle timeout it holds back
    merge.offer(2, 200, 0, 0);
    // Watermark: board 0 = min(500, 400) = 400, board 1 = 200 → events before 200.
    assertThat(out.times()).containsExactly(50L, 100L);
    merge.onBoardStatus(1, 1_000);
    merge.onBoardStatus(0, 1_000);
    assertThat(out.times()).containsExactly(50L, 100L, 200L, 300L, 400L, 500L);
    assertThat(out.watermark).isEqualTo(1_000);
  }

  @Test
  void silentBoardStopsHoldingBackTheMergeAfterTheIdleTimeout() {
    NudaqConfig config = TestConfigs.withSecondNaiBoard(gemma1); // mergeIdleTimeoutSeconds = 5
    ChannelMap map = new ChannelMap(config);
    Recorder out = new Recorder();
    TimeOrderedMerge merge = new TimeOrderedMerge(map, 16, 5.0, out);
    merge.offer(2, 1 * S, 0, 0); // board 1 speaks once
    merge.onBoardStatus(0, 2 * S);
    merge.onBoardStatus(0, 6 * S);
    assertThat(out.count).isZero(); // board 1 lags by exactly 5 s: still waited for
    merge.onBoardStatus(0, 6 * S + 1);
    assertThat(out.times()).containsExactly(1 * S); // lagging by more than 5 s: no longer waited for
    assertThat(merge.offer(2, 3 * S, 0, 0)).isFalse(); // its old data is now late
    // Wall clock: board 0 silent for more than 5 s flushes the rest.
    merge.offer(0, 7 * S, 0, 0);
    merge.advanceIdle(0);
    merge.advanceIdle(5 * S + 1);
    assertThat(out.times()).containsExactly(1 * S, 7 * S);
  }

  @Test
  void rejectsEventOlderThanTheEmittedWatermarkAsLate() {
    PipelineDriver d = new PipelineDriver(new EventPipeline(TestConfigs.withSecondNaiBoard(gemma1)));
    d.status(10 * S, 1);
    statusBoard1(d.pipeline, 10 * S);
    d.hpge(9 * S, 10.0);
    d.pipeline.finish();
    assertThat(d.pipeline.rejected(0, 0, RejectReason.LATE)).isEqualTo(1);
    assertThat(d.pipeline.accountingBalances()).isTrue();
  }

  @Test
  void convertsTicksToNanosecondsExactlyBeyondHundredDays() {
    // 200 days at 4 ns: ticks · 4000 ps overflows a long, the result does not.
    long ticks = 200L * 86_400 * S / 4;
    assertThat(TickTime.ticksToNs(ticks, 4000)).isEqualTo(200L * 86_400 * S);
    // An odd tick (8.333 ns): compare with exact big-integer arithmetic.
    long odd = 3_000_000_000_000_000L;
    long expected = BigInteger.valueOf(odd).multiply(BigInteger.valueOf(8333)).divide(BigInteger.valueOf(1000)).longValueExact();
    assertThat(TickTime.ticksToNs(odd, 8333)).isEqualTo(expected);
    // Through the pipeline: a hello with 8 ns ticks, an event 150 days in.
    EventPipeline p = new EventPipeline(gemma1);
    p.onHello(0, 8000);
    long t = 150L * 86_400 * S;
    p.onStatusBegin(0, t / 8, t / 8, 1);
    p.onStatusEnd(0);
    assertThat(p.dataTimeNs()).isEqualTo(t);
  }

  @Test
  void rejectsFlaggedEventsByReasonAndFakeNaiDoesNotVeto() {
    PipelineDriver d = started();
    d.hpge(10 * MS, 10.0, EventFlags.PILEUP);
    d.hpge(20 * MS, 10.0, EventFlags.SATURATION);
    d.hpge(30 * MS, 10.0, EventFlags.FAKE);
    d.nai(40 * MS, 100.0, EventFlags.FAKE);
    d.hpge(40 * MS + 100, 10.0);
    d.pipeline.onEvent(0, 0, 50 * MS / 4, 2000, EventFlags.LOST_TRIGGERS_BEFORE, 7);
    d.pipeline.finish();
    assertThat(d.pipeline.rejected(0, 0, RejectReason.PILEUP)).isEqualTo(1);
    assertThat(d.pipeline.rejected(0, 0, RejectReason.SATURATION)).isEqualTo(1);
    assertThat(d.pipeline.rejected(0, 0, RejectReason.FAKE)).isEqualTo(1);
    assertThat(d.pipeline.rejected(0, 1, RejectReason.FAKE)).isEqualTo(1);
    assertThat(d.pipeline.vetoed()).isZero();
    assertThat(d.pipeline.accepted(0, 0)).isEqualTo(2);
    assertThat(d.pipeline.lostTriggersFlagged(0, 0)).isEqualTo(7);
    assertThat(d.pipeline.accountingBalances()).isTrue();
  }

  @Test
  void keepsPileupEventsWhenPileupRejectionIsOff() {
    NudaqConfig config = TestConfigs.withGates(gemma1, TestConfigs.gates(gemma1, false, true, ReactorStateSource.DIGITIZER, 0, 60));
    PipelineDriver d = started(config);
    d.hpge(10 * MS, 10.0, EventFlags.PILEUP);
    d.pipeline.finish();
    assertThat(d.pipeline.accepted(0, 0)).isEqualTo(1);
  }

  @Test
  void rejectsEventsOfUnknownChannels() {
    PipelineDriver d = started();
    d.pipeline.onEvent(7, 0, 100, 100, 0, 0);
    d.pipeline.onEvent(0, 5, 100, 100, 0, 0);
    assertThat(d.pipeline.rejected(RejectReason.UNKNOWN_CHANNEL)).isEqualTo(2);
    assertThat(d.pipeline.received()).isEqualTo(2);
    assertThat(d.pipeline.accountingBalances()).isTrue();
  }

  @Test
  void countsBufferedEventsAsPendingUntilFinish() {
    PipelineDriver d = started();
    d.hpge(10 * MS, 10.0);
    d.nai(10 * MS + 1_000_000, 10.0);
    d.hpge(20 * MS, 10.0);
    // Merge watermark = 11 ms (channel 1's last event): the NaI hit at 11 ms and the HPGe event at
    // 20 ms wait in the merge; the HPGe event at 10 ms is decided but its slice is not yet judged.
    assertThat(d.pipeline.pending()).isEqualTo(3);
    assertThat(d.pipeline.pending(0, 0)).isEqualTo(2);
    assertThat(d.pipeline.accountingBalances()).isTrue();
    d.pipeline.finish();
    assertThat(d.pipeline.pending()).isZero();
    assertThat(d.pipeline.accepted()).isEqualTo(3);
    assertThat(d.pipeline.accountingBalances()).isTrue();
  }

  @Test
  void excludesNoisyDataQualitySliceWithItsLiveTime() {
    // 1 s slices; ten quiet slices with 10 band events each, then one with 100.
    NudaqConfig config = TestConfigs.withGates(gemma1, TestConfigs.gates(gemma1, true, true, ReactorStateSource.DIGITIZER, 0, 1));
    PipelineDriver d = started(config);
    for (int k = 0; k < 10; k++) {
      for (int i = 0; i < 10; i++) {
        d.hpge(k * S + i * 50 * MS + 1000, 3.5);
      }
      d.hpge(k * S + 600 * MS, 30.0); // outside the band
    }
    for (int i = 0; i < 100; i++) {
      d.hpge(10 * S + i * 5 * MS + 1000, 3.5);
    }
    d.hpge(10 * S + 600 * MS, 30.0);
    d.hpge(11 * S + 1000, 3.5); // a quiet last slice
    d.status(12 * S, 1);
    d.pipeline.finish();
    // Limit for slice 10: 5 × 10 + 5·sqrt(10) = 65.8 < 100: bad. Its 101 events are gated.
    assertThat(d.pipeline.badSlices(0)).isEqualTo(1);
    assertThat(d.pipeline.gated(0, 0, GateReason.DATA_QUALITY)).isEqualTo(101);
    assertThat(d.pipeline.accepted(0, 0)).isEqualTo(111);
    assertThat(d.pipeline.liveTimeBeforeGatesSeconds(0, ReactorState.ON)).isEqualTo(12.0);
    assertThat(d.pipeline.liveTimeSeconds(0, ReactorState.ON)).isEqualTo(11.0);
    SpectrumSnapshot analysis = d.pipeline.publish(Instant.EPOCH).detectors().get(0).spectrum(Stage.AFTER_GATES, ReactorState.ON);
    assertThat(analysis.entryCount()).isEqualTo(111);
    assertThat(analysis.liveTimeSeconds()).isEqualTo(11.0);
  }

  @Test
  void gatesEventsWithinTheMarginAfterAReactorTransition() {
    NudaqConfig config = TestConfigs.withGates(gemma1, TestConfigs.gates(gemma1, true, true, ReactorStateSource.DIGITIZER, 2, 60));
    PipelineDriver d = started(config);
    d.hpge(1 * S, 10.0);       // ON
    d.status(5 * S, 0);        // ON → OFF at 5 s: margin until 7 s
    d.hpge(6 * S, 10.0);       // gated REACTOR_TRANSITION
    d.hpge(7 * S + 4, 10.0);   // OFF, after the margin
    d.status(10 * S, 0);
    d.pipeline.finish();
    assertThat(d.pipeline.gated(0, 0, GateReason.REACTOR_TRANSITION)).isEqualTo(1);
    PipelineSnapshot snap = d.pipeline.publish(Instant.EPOCH);
    PipelineSnapshot.DetectorSnapshot det = snap.detectors().get(0);
    assertThat(det.spectrum(Stage.AFTER_GATES, ReactorState.ON).entryCount()).isEqualTo(1);
    assertThat(det.spectrum(Stage.AFTER_GATES, ReactorState.OFF).entryCount()).isEqualTo(1);
    assertThat(det.spectrum(Stage.ALL, ReactorState.OFF).entryCount()).isEqualTo(2);
    assertThat(det.liveTimeBeforeGatesOnSeconds()).isEqualTo(5.0);
    assertThat(det.liveTimeBeforeGatesOffSeconds()).isEqualTo(5.0);
    assertThat(det.liveTimeOnSeconds()).isEqualTo(5.0);
    assertThat(det.liveTimeOffSeconds()).isEqualTo(3.0);
    assertThat(d.pipeline.latest()).isSameAs(snap);
  }

  @Test
  void takesReactorStateFromControlWhenConfigured() {
    NudaqConfig config = TestConfigs.withGates(gemma1, TestConfigs.gates(gemma1, true, true, ReactorStateSource.CONTROL, 0, 60));
    PipelineDriver d = new PipelineDriver(new EventPipeline(config));
    assertThat(d.pipeline.setReactorState(true, 0)).isTrue();
    d.status(0, 0xFF);
    d.hpge(1 * S, 10.0);
    assertThat(d.pipeline.setReactorState(false, 4 * S)).isTrue();
    d.hpge(5 * S, 10.0);
    d.status(10 * S, 0xFF);
    d.pipeline.finish();
    PipelineSnapshot.DetectorSnapshot det = d.pipeline.publish(Instant.EPOCH).detectors().get(0);
    assertThat(det.spectrum(Stage.AFTER_GATES, ReactorState.ON).entryCount()).isEqualTo(1);
    assertThat(det.spectrum(Stage.AFTER_GATES, ReactorState.OFF).entryCount()).isEqualTo(1);
    // The 10 s status interval is split by the control change at 4 s.
    assertThat(det.liveTimeBeforeGatesOnSeconds()).isEqualTo(4.0);
    assertThat(det.liveTimeBeforeGatesOffSeconds()).isEqualTo(6.0);
  }

  @Test
  void gatesEventsWhileTheReactorStateIsUnknown() {
    PipelineDriver d = new PipelineDriver(new EventPipeline(gemma1));
    d.status(0, 0xFF);
    d.hpge(1 * S, 10.0);
    d.status(2 * S, 1);
    d.pipeline.finish();
    assertThat(d.pipeline.gated(0, 0, GateReason.REACTOR_UNKNOWN)).isEqualTo(1);
    assertThat(d.pipeline.liveTimeBeforeGatesSeconds(0, ReactorState.UNKNOWN)).isEqualTo(2.0);
  }

  /** Records what the merge emits. */
  static final class Recorder implements MergedStream {
    final long[] time = new long[64];
    int count;
    long watermark = Long.MIN_VALUE;

    @Override
    public void onMergedEvent(int source, long timeNs, int adc, int flags) {
      time[count++] = timeNs;
    }

    @Override
    public void onWatermark(long timeNs) {
      watermark = timeNs;
    }

    java.util.List<Long> times() {
      java.util.List<Long> l = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        l.add(time[i]);
      }
      return l;
    }
  }
}
