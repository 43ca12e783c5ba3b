package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SlowControlConfig;
import org.nudaq.monitor.wire.EventFlags;

/**
 * Save the pipeline's state after any input, restore it into a fresh pipeline, feed the remaining
 * inputs: the result is the uninterrupted pipeline's, bit for bit — every spectrum bin, live-time ns,
 * counter and pending event. A scripted stream on the GEMMA-I channels (board 0: HPGe ch 0, NaI ch 1)
 * with small buffers, so that every part of the state is non-trivial at some input: events held in the
 * merge rings and in the look-ahead, forced emits and look-ahead overflows, open data-quality slices
 * with held candidates, a noise burst (bad slice), vetoes by later NaI hits, muon and reactor-transition
 * gates, an unknown reactor state, late, fake, pile-up and saturated events, lost frames, unknown
 * channels and boards, wall-clock idleness.
 */
class PipelineStateRoundTripTest {
  private static final long S = 1_000_000_000L;
  private static final int MERGE_CAPACITY = 64;
  private static final int LOOKAHEAD_CAPACITY = 16;
  private static final int STATUS_PERIODS = 72; // 10 s each: 12 min, 12 data-quality slices of 60 s

  /** GEMMA-I with pile-up/saturation rejection, a 5 s reactor-transition margin and 60 s slices. */
  private static NudaqConfig config() {
    return config(GateConfig.ReactorStateSource.DIGITIZER);
  }

  private static NudaqConfig config(GateConfig.ReactorStateSource source) {
    NudaqConfig c = TestConfigs.gemma1();
    SlowControlConfig sc = new SlowControlConfig(List.of(new SlowControlConfig.Sensor("ln2Level", "%")),
        List.of(new SlowControlConfig.Rule("ln2Level", SlowControlConfig.Comparison.BELOW, 20)));
    return c.withGates(TestConfigs.gates(c, true, true, source, 5, 60)).withSlowControl(sc);
  }

  private static EventPipeline fresh(NudaqConfig config) {
    return new EventPipeline(config, MERGE_CAPACITY, LOOKAHEAD_CAPACITY);
  }

  private static byte[] state(EventPipeline p) {
    return PipelineStates.of(p);
  }

  private static void restore(EventPipeline p, byte[] state) {
    StateReader r = new StateReader(state, 0, state.length);
    p.restoreState(r);
    r.expectEnd();
  }

  /**
   * With the reactor state from the digitizer (status frames) and from the control API (whose changes
   * may lie ahead of the data: the reactor timeline then holds changes not yet applied, and live time
   * is split by it).
   */
  @ParameterizedTest(name = "reactor state from {0}")
  @EnumSource(GateConfig.ReactorStateSource.class)
  void restoringTheStateAfterAnyInputThenFeedingTheRestEqualsTheUninterruptedPipeline(GateConfig.ReactorStateSource source) {
    NudaqConfig config = config(source);
    List<Consumer<EventPipeline>> steps = script(20261125L, source == GateConfig.ReactorStateSource.CONTROL);
    // The uninterrupted pipeline, never saved (saving must change nothing either).
    EventPipeline untouched = fresh(config);
    steps.forEach(s -> s.accept(untouched));
    untouched.finish();

    // The reference saves its state after every input; states are kept at a regular sample of the
    // inputs and wherever a rarer part of the state is in use (to bound the test's time and memory).
    EventPipeline reference = fresh(config);
    List<Integer> points = new ArrayList<>();
    List<byte[]> saved = new ArrayList<>();
    Coverage seen = new Coverage();
    points.add(0);
    saved.add(state(reference));
    for (int k = 0; k < steps.size(); k++) {
      steps.get(k).accept(reference);
      byte[] st = state(reference);
      if (seen.note(reference) || (steps.get(k) instanceof ControlState && seen.controlStates++ < Coverage.KEEP_EACH) || steps.get(k) instanceof SlowReading || (steps.get(k) instanceof Idle && seen.idleChecks++ < Coverage.KEEP_EACH) || (k + 1) % 211 == 0) {
        points.add(k + 1);
        saved.add(st);
      }
    }
    reference.finish();
    byte[] finalState = state(reference);
    PipelineSnapshot expected = reference.publish(Instant.EPOCH);
    assertThat(state(untouched)).as("saving the state after every input changed the pipeline").isEqualTo(finalState);
    assertThat(untouched.publish(Instant.EPOCH)).isEqualTo(expected);

    // Every part of the state was in use at some snapshot, and the stream has every feature.
    assertThat(seen.mergeAndLookaheadAndSlices).as("inputs after which merge, look-ahead and slices all held events").isPositive();
    assertThat(seen.lookahead).isPositive();
    assertThat(seen.statusOpen).as("saved in the middle of a status frame").isPositive();
    assertThat(seen.batchOpen).as("saved in the middle of an EVENTS batch").isPositive();
    PipelineSnapshot.Totals t = expected.totals();
    assertThat(t.forcedEmits()).isPositive();
    assertThat(t.vetoed()).isPositive();
    assertThat(t.muons()).isPositive();
    assertThat(t.lostFrames()).isPositive();
    for (GateReason g : GateReason.values()) {
      assertThat(t.gated().get(g)).as("gated %s", g).isPositive();
    }
    for (RejectReason r : RejectReason.values()) {
      assertThat(t.rejected().get(r)).as("rejected %s", r).isPositive();
    }
    assertThat(reference.unknownBoardFrames()).isPositive();
    assertThat(expected.detectors().get(0).badSlices()).isPositive();
    assertThat(expected.detectors().get(0).liveTimeOnSeconds()).isPositive();
    assertThat(expected.detectors().get(0).liveTimeOffSeconds()).isPositive();
    assertThat(reference.lookaheadOverflows()).isPositive();
    assertThat(reference.idleExclusions()).isPositive();

    assertThat(points).hasSizeGreaterThan(200);
    for (int j = 0; j < points.size(); j++) {
      int k = points.get(j);
      EventPipeline restored = fresh(config);
      restore(restored, saved.get(j));
      assertThat(state(restored)).as("save(restore(state after input %d))", k).isEqualTo(saved.get(j));
      for (int i = k; i < steps.size(); i++) {
        steps.get(i).accept(restored);
      }
      restored.finish();
      assertThat(state(restored)).as("final state, restored after input %d of %d", k, steps.size()).isEqualTo(finalState);
      assertThat(restored.publish(Instant.EPOCH)).as("final snapshot, restored after input %d", k).isEqualTo(expected);
      assertThat(restored.accountingBalances()).isTrue();
    }
  }

  @Test
  void aStateSavedMidStreamHoldsEveryPendingEventOfTheAccounting() {
    NudaqConfig config = config();
    List<Consumer<EventPipeline>> steps = script(7L);
    EventPipeline p = fresh(config);
    for (int k = 0; k < steps.size() / 2; k++) {
      steps.get(k).accept(p);
    }
    EventPipeline restored = fresh(config);
    restore(restored, state(p));
    assertThat(restored.pending()).isEqualTo(p.pending()).isPositive();
    assertThat(restored.pendingInMerge()).isEqualTo(p.pendingInMerge());
    assertThat(restored.pendingInLookahead()).isEqualTo(p.pendingInLookahead());
    assertThat(restored.pendingInSlices()).isEqualTo(p.pendingInSlices());
    assertThat(restored.received()).isEqualTo(p.received());
    assertThat(restored.dataTimeNs()).isEqualTo(p.dataTimeNs());
    assertThat(restored.reactorState()).isEqualTo(p.reactorState());
    assertThat(restored.accountingBalances()).isTrue();
  }

  @Test
  void aStateOfAnotherConfigurationIsRefusedNamingWhatDiffers() {
    NudaqConfig config = config();
    EventPipeline p = fresh(config);
    script(3L).subList(0, 200).forEach(s -> s.accept(p));
    byte[] saved = state(p);

    // Another slice length: the same shape, other cuts.
    NudaqConfig slices = config.withGates(TestConfigs.gates(config, true, true, GateConfig.ReactorStateSource.DIGITIZER, 5, 120));
    StateFormatException e = catchThrowableOfType(StateFormatException.class, () -> restore(fresh(slices), saved));
    assertThat(e.getMessage()).contains("gates.qualitySliceSeconds").contains("at byte 0x");
    // Another shape: a second board with an NaI channel.
    StateFormatException shape = catchThrowableOfType(StateFormatException.class,
        () -> restore(fresh(TestConfigs.withSecondNaiBoard(config)), saved));
    assertThat(shape.getMessage()).contains("pipeline.tickPs: length 1 in the checkpoint, 2 in this pipeline");
    // Other buffer capacities.
    StateFormatException capacity = catchThrowableOfType(StateFormatException.class,
        () -> restore(new EventPipeline(config, 2 * MERGE_CAPACITY, LOOKAHEAD_CAPACITY), saved));
    assertThat(capacity.getMessage()).contains("merge.capacityPerSource=64 in the checkpoint, 128 in this pipeline");
  }

  @Test
  void aTruncatedStateIsRefusedWithItsOffset() {
    EventPipeline p = fresh(config());
    script(5L).subList(0, 300).forEach(s -> s.accept(p));
    byte[] saved = state(p);
    byte[] cut = Arrays.copyOf(saved, saved.length - 9);
    StateFormatException e = catchThrowableOfType(StateFormatException.class, () -> restore(fresh(config()), cut));
    assertThat(e.getMessage()).contains("truncated");
    assertThat(e.offset()).isGreaterThan(saved.length - 9 - 16).isLessThanOrEqualTo(saved.length - 9);
    byte[] longer = Arrays.copyOf(saved, saved.length + 4);
    assertThat(catchThrowableOfType(StateFormatException.class, () -> restore(fresh(config()), longer)).getMessage())
        .contains("4 bytes left after the last section");
  }

  /** What the states saved along the script held; {@link #note} says whether this one is worth keeping. */
  private static final class Coverage {
    private static final int KEEP_EACH = 40;
    int mergeAndLookaheadAndSlices;
    int lookahead;
    int statusOpen;
    int batchOpen;
    int idleChecks;
    int controlStates;

    boolean note(EventPipeline p) {
      boolean keep = false;
      if (p.pendingInLookahead() > 0) {
        keep |= lookahead++ < KEEP_EACH;
        if (p.pendingInMerge() > 0 && p.pendingInSlices() > 0) {
          keep |= mergeAndLookaheadAndSlices++ < KEEP_EACH;
        }
      }
      if (p.statusInProgress()) {
        keep |= statusOpen++ < KEEP_EACH;
      }
      if (p.batchInProgress()) {
        keep |= batchOpen++ < KEEP_EACH;
      }
      return keep;
    }
  }

  // --- the script ----------------------------------------------------------------------------------

  private static final long TICK_NS = 4;

  private static int hpgeAdc(double keV) {
    return (int) Math.round(keV / 0.005);
  }

  private static int naiAdc(double keV) {
    return (int) Math.min(65535, Math.round(keV / 0.2));
  }

  /** A wall-clock idleness check (a type of its own: states are kept after some of them). */
  private record Idle(long wallClockNanos) implements Consumer<EventPipeline> {
    @Override
    public void accept(EventPipeline p) {
      p.advanceIdle(wallClockNanos);
    }
  }

  /** A reactor state from the control API, effective from a data time. */
  /** A slow-control reading (the rule: ln2Level below 20 excludes the data). */
  private record SlowReading(String sensor, double value, long effectiveTimeNs) implements Consumer<EventPipeline> {
    @Override
    public void accept(EventPipeline p) {
      p.slowControlReading(sensor, value, effectiveTimeNs);
    }
  }

  private record ControlState(boolean on, long effectiveTimeNs) implements Consumer<EventPipeline> {
    @Override
    public void accept(EventPipeline p) {
      p.setReactorState(on, effectiveTimeNs);
    }
  }

  /** A time-ordered event of one channel. */
  private record Ev(long tNs, int adc, int flags, int lost) {}

  /**
   * The inputs, one step per pipeline call (a status frame is split into its begin, channel and end
   * calls, so that states are saved in the middle of one too).
   */
  static List<Consumer<EventPipeline>> script(long seed) {
    return script(seed, false);
  }

  /**
   * @param control whether the reactor state comes from the control API (set 3 s of data time before
   *                it applies, so changes wait in the timeline) rather than from the status frames
   */
  static List<Consumer<EventPipeline>> script(long seed, boolean control) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Consumer<EventPipeline>> steps = new ArrayList<>();
    steps.add(p -> p.onHello(0, 4000));
    steps.add(p -> p.onHello(7, 4000)); // a board not in the configuration
    long wallNs = 1_000_000L * S; // a monotonic clock far from 0, as System.nanoTime() is
    long deadHpgeTicks = 0;
    boolean lateSent = false;
    for (int period = 0; period < STATUS_PERIODS; period++) {
      long from = period * 10 * S;
      long to = from + 10 * S;
      List<Ev> hpge = new ArrayList<>();
      List<Ev> nai = new ArrayList<>();
      // HPGe: 5 Hz, half of them in the quality band; a noise burst in slice 6 (360-420 s).
      int n = (int) (50 + (period >= 36 && period < 42 ? 1500 : 0));
      for (int i = 0; i < n; i++) {
        long t = from + r.nextLong(10 * S);
        double keV = r.nextBoolean() ? 3 + 2 * r.nextDouble() : 5 + 90 * r.nextDouble();
        int flags = 0;
        int u = r.nextInt(100);
        if (u < 2) {
          flags = EventFlags.PILEUP;
        } else if (u < 3) {
          flags = EventFlags.SATURATION;
        } else if (u < 4) {
          flags = EventFlags.FAKE;
        } else if (u < 5) {
          flags = EventFlags.TIMESTAMP_ROLLOVER | EventFlags.TIMESTAMP_RESET;
        }
        int lost = 0;
        if (u == 5) {
          flags |= EventFlags.LOST_TRIGGERS_BEFORE;
          lost = 1 + r.nextInt(5);
        }
        hpge.add(new Ev(t, hpgeAdc(keV), flags, lost));
        if (r.nextInt(4) == 0) {
          // A Compton partner in the NaI, before or after the HPGe hit, inside the veto window.
          nai.add(new Ev(t - 1000 + r.nextLong(3000), naiAdc(60 + 500 * r.nextDouble()), 0, 0));
        }
      }
      // A tight HPGe cluster: more than the look-ahead holds, then an NaI hit after all of them.
      long c = from + 5 * S + r.nextLong(S);
      for (int i = 0; i < LOOKAHEAD_CAPACITY + 4; i++) {
        hpge.add(new Ev(c + 40L * i, hpgeAdc(20), 0, 0));
      }
      nai.add(new Ev(c + 40L * (LOOKAHEAD_CAPACITY + 4) + 500, naiAdc(200), 0, 0));
      // NaI singles (20 Hz, some above the 40 keV veto threshold) and muons (0.3 Hz) with a delayed HPGe hit.
      for (int i = 0; i < 200; i++) {
        nai.add(new Ev(from + r.nextLong(10 * S), naiAdc(20 + 60 * r.nextDouble()), 0, 0));
      }
      for (int i = 0; i < 3; i++) {
        long t = from + r.nextLong(9 * S);
        nai.add(new Ev(t, naiAdc(12_000), EventFlags.SATURATION, 0));
        hpge.add(new Ev(t + 50_000, hpgeAdc(30), 0, 0));
      }
      hpge.sort((a, b) -> Long.compare(a.tNs, b.tNs));
      nai.sort((a, b) -> Long.compare(a.tNs, b.tNs));
      // Aggregates of random size, the channels interleaved as a board's buffers flush (mostly the
      // channel that is behind): the merge holds one channel's events until the other's catch up,
      // and now and then an aggregate larger than a ring forces progress.
      int hi = 0;
      int ni = 0;
      while (hi < hpge.size() || ni < nai.size()) {
        boolean hpgeBehind = ni >= nai.size() || (hi < hpge.size() && hpge.get(hi).tNs <= nai.get(ni).tNs);
        boolean fromHpge = hi < hpge.size() && (ni >= nai.size() || (r.nextInt(5) == 0 ? !hpgeBehind : hpgeBehind));
        List<Ev> src = fromHpge ? hpge : nai;
        int at = fromHpge ? hi : ni;
        int len = Math.min(src.size() - at, r.nextInt(100) == 0 ? 100 : 1 + r.nextInt(20));
        boolean batch = r.nextBoolean();
        if (batch) {
          steps.add(EventPipeline::beginBatch);
        }
        for (int k = at; k < at + len; k++) {
          Ev e = src.get(k);
          int channel = fromHpge ? 0 : 1;
          steps.add(p -> p.onEvent(0, channel, e.tNs / TICK_NS, e.adc, e.flags, e.lost));
        }
        if (batch) {
          steps.add(EventPipeline::endBatch);
        }
        if (fromHpge) {
          hi += len;
        } else {
          ni += len;
        }
        if (r.nextInt(20) == 0) {
          steps.add(p -> p.onEvent(0, 5, 0, 100, 0, 0)); // a channel not in the configuration
        }
        if (!lateSent && period == 20 && ni > 100) {
          lateSent = true;
          steps.add(p -> p.onEvent(0, 1, (from - 30 * S) / TICK_NS, naiAdc(50), 0, 0)); // long passed: LATE
        }
      }
      if (period % 9 == 4) {
        steps.add(p -> p.onFramesLost(0, 2));
      }
      // LN2 low from 2 s ahead of the data in period 10 until 1 s into the past in period 14 (a late boundary),
      // and a reading no rule watches.
      if (period == 10) {
        steps.add(new SlowReading("ln2Level", 15.2, to + 2 * S));
      }
      if (period == 14) {
        steps.add(new SlowReading("ln2Level", 83, to - S));
        steps.add(new SlowReading("hv", 3500, to));
      }
      if (!control && period == 30) {
        steps.add(new ControlState(true, to)); // ignored: the state comes from the digitizer
      }
      if (control && (period == 1 || period == 26 || period == 51)) {
        steps.add(new ControlState(period != 26, to + 3 * S)); // ahead of the data
      }
      // Idleness checks every 100 ms of wall time; every 10th period the board is then silent for
      // 4 checks 2 s apart (idle from the third: more than 5 s without a frame).
      int checks = period % 10 == 5 ? 5 : 3;
      for (int i = 0; i < checks; i++) {
        wallNs += i > 0 && checks == 5 ? 2 * S : 100_000_000L;
        steps.add(new Idle(wallNs));
      }
      // The status at the period's end: unknown first, ON for 25 periods, OFF for 25, ON again.
      int state = control || period == 0 ? 0xFF : period <= 25 ? 1 : period <= 50 ? 0 : 1;
      long ticks = to / TICK_NS;
      deadHpgeTicks += 1000 + r.nextInt(1000);
      long dead = deadHpgeTicks;
      steps.add(p -> p.onStatusBegin(0, ticks, ticks, state));
      steps.add(p -> p.onStatusChannel(0, 0, ticks - dead, dead, 10 * ticks, 3));
      if (period != 33) { // one status without the NaI channel: counted as missing, no dead time booked
        steps.add(p -> p.onStatusChannel(0, 1, ticks, 0, 20 * ticks, 0));
      }
      steps.add(p -> p.onStatusChannel(0, 9, ticks, 0, 0, 0)); // unknown status channel
      steps.add(p -> p.onStatusEnd(0));
    }
    return steps;
  }
}
