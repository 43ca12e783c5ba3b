package org.nudaq.sim.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.PhysicsModel;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.EventFlags;
import org.nudaq.sim.OneBoardProfile;
import org.nudaq.sim.generator.EventClass;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.PhysicsRecoilRates;
import org.nudaq.sim.generator.RecoilRates;
import org.nudaq.sim.wire.EventBatch;

class BoardModelTest {
  private static final long MS = 1_000_000L;

  /** Board 7 of the {@link OneBoardProfile}. */
  private static NudaqConfig config(String simulatorYaml) {
    return OneBoardProfile.parse("board-test.yaml", 7, simulatorYaml);
  }

  private static final String SIM = OneBoardProfile.busyDay(11);

  /** A sent event as the daemon would see it, plus STATUS frames in send order. */
  record Sent(boolean status, long ticks, int channel, int adc, int flags, int lostBefore, BoardStatus st) {}

  private static List<Sent> drain(BoardBuffer buffer) {
    List<Sent> out = new ArrayList<>();
    Object o;
    while ((o = buffer.poll()) != null) {
      if (o instanceof BoardStatus s) {
        out.add(new Sent(true, s.boardTimeTicks(), -1, 0, 0, 0, s));
      } else {
        EventBatch b = (EventBatch) o;
        for (int i = 0; i < b.size(); i++) {
          out.add(new Sent(false, b.timestampTicks(i), b.channel(i), b.energyAdc(i), b.flags(i), b.lostTriggersBefore(i), null));
        }
        buffer.release(b);
      }
    }
    return out;
  }

  private static BoardModel board(NudaqConfig c, BoardBuffer buffer, int timestampBits) {
    return new BoardModel(c.digitizer().boards().get(0), buffer, 5 * MS, timestampBits);
  }

  @Test
  void convertsTimeToTicksAndEnergyToAdcThroughTheInverseCalibration() {
    NudaqConfig c = config(SIM);
    BoardBuffer buffer = new BoardBuffer(1 << 16, 64, false);
    BoardModel m = board(c, buffer, 64);
    // 1 000 004 ns / 4 ns = 250 001 ticks; 10.0012 keV / 0.005 keV = 2000.24 → 2000 ADC.
    m.onEvent(0, 1_000_004, 10.0012, 0);
    // NaI: 123.5 keV / 0.2 = 617.5 → 618 (round half up); pile-up passes through.
    m.onEvent(1, 1_000_100, 123.5, EventGenerator.FLAG_PILEUP);
    m.onStatus(2_000_000, true, new long[] {40_000, 0});
    List<Sent> s = drain(buffer);
    assertThat(s).hasSize(3);
    assertThat(s.get(0)).isEqualTo(new Sent(false, 250_001, 0, 2000, 0, 0, null));
    assertThat(s.get(1)).isEqualTo(new Sent(false, 250_025, 3, 618, EventFlags.PILEUP, 0, null));
    BoardStatus st = s.get(2).st();
    assertThat(st.boardTimeTicks()).isEqualTo(500_000);
    assertThat(st.realTimeTicks()).isEqualTo(500_000);
    assertThat(st.reactorState()).isEqualTo(1);
    // HPGe dead 40 µs = 10 000 ticks; NaI never dead.
    assertThat(st.channels()).containsExactly(
        new ChannelCounters(0, 490_000, 10_000, 1, 0),
        new ChannelCounters(3, 500_000, 0, 1, 0));
  }

  @Test
  void clampsToFullScaleWithTheSaturationFlagOnlyBeyondIt() {
    BoardBuffer buffer = new BoardBuffer(1 << 16, 64, false);
    BoardModel m = board(config(SIM), buffer, 64);
    // NaI full scale: (2^16 − 1) · 0.2 keV = 13 107 keV.
    m.onEvent(1, 10, 13_107.0, 0);
    m.onEvent(1, 20, 40_000.0, 0);
    m.onEvent(1, 30, -3.0, 0);
    m.flushAll();
    List<Sent> s = drain(buffer);
    assertThat(s).extracting(Sent::adc).containsExactly(65_535, 65_535, 0);
    assertThat(s).extracting(Sent::flags).containsExactly(0, EventFlags.SATURATION, 0);
  }

  @Test
  void sendsAnAggregateWhenFullOrOlderThanTheMaximumAge() {
    BoardBuffer buffer = new BoardBuffer(1 << 16, 64, false);
    BoardModel m = board(config(SIM), buffer, 64);
    m.onEvent(0, 0, 10, 0);
    for (int i = 0; i < 63; i++) {
      m.onEvent(1, 1000 + i, 100, 0);
    }
    assertThat(buffer.queuedFrames()).as("nothing full, nothing old").isZero();
    m.onEvent(1, 2000, 100, 0);
    assertThat(buffer.queuedFrames()).as("the NaI aggregate is full (64)").isEqualTo(1);
    m.onEvent(1, 5 * MS + 1, 100, 0);
    assertThat(buffer.queuedFrames()).as("the HPGe aggregate started at 0 is older than 5 ms").isEqualTo(2);
  }

  @Test
  void mapsTheGeneratorsNaiIndexToNaiChannelsInBoardOrder() throws Exception {
    NudaqConfig c = new ConfigLoader().load(Path.of("../config/gemma-2.yaml"));
    List<BoardBuffer> buffers = List.of(new BoardBuffer(4096, 64, false), new BoardBuffer(4096, 64, false));
    DigitizerModel dm = new DigitizerModel(c, buffers, 5 * MS, 64);
    dm.onEvent(1, false, 100, 50.0, 0, EventClass.NAI_SINGLE.ordinal());
    dm.onEvent(0, true, 200, 5.0, 0, EventClass.CONTINUUM.ordinal());
    dm.onEvent(1, true, 300, 6.0, 0, EventClass.CONTINUUM.ordinal());
    dm.board(0).flushAll();
    dm.board(1).flushAll();
    List<Sent> b0 = drain(buffers.get(0));
    List<Sent> b1 = drain(buffers.get(1));
    assertThat(b0).extracting(Sent::channel).containsExactly(0);
    assertThat(b1).extracting(Sent::channel).containsExactlyInAnyOrder(0, 1);
    assertThat(b1.stream().filter(x -> x.channel() == 1).findFirst().orElseThrow().adc()).isEqualTo(250);
  }

  /** Runs the real generator into the board and checks the stream's ordering guarantees. */
  @Test
  void keepsChannelsInTimeOrderInterleavesWithinTheAgeBoundAndStatusIsAWatermark() {
    NudaqConfig c = config(SIM);
    PhysicsModel model = ConfiguredPhysics.model(c);
    BoardBuffer buffer = new BoardBuffer(10_000_000, 64, false);
    DigitizerModel dm = new DigitizerModel(c, List.of(buffer), 5 * MS, 64);
    List<RecoilRates> rates = List.of(new PhysicsRecoilRates(model, 0, 0));
    EventGenerator g = new EventGenerator(c, rates, dm);
    dm.attach(g);
    g.generateUntil(60_000 * MS);
    dm.finish();
    List<Sent> s = drain(buffer);
    long[] lastByChannel = {Long.MIN_VALUE, 0, 0, Long.MIN_VALUE};
    long newest = Long.MIN_VALUE;
    long watermark = Long.MIN_VALUE;
    long maxLagTicks = 0;
    long events = 0;
    int statuses = 0;
    boolean interleaved = false;
    for (Sent x : s) {
      if (x.status()) {
        watermark = x.ticks();
        statuses++;
        continue;
      }
      events++;
      assertThat(x.ticks()).as("per-channel time order").isGreaterThanOrEqualTo(lastByChannel[x.channel()]);
      lastByChannel[x.channel()] = x.ticks();
      assertThat(x.ticks()).as("no event after a STATUS is older than its boardTime").isGreaterThanOrEqualTo(watermark);
      interleaved |= x.ticks() < newest;
      if (newest != Long.MIN_VALUE) {
        maxLagTicks = Math.max(maxLagTicks, newest - x.ticks());
      }
      newest = Math.max(newest, x.ticks());
    }
    assertThat(statuses).as("one at start plus one per second").isEqualTo(61);
    assertThat(interleaved).as("channels do interleave out of time order").isTrue();
    // 5 ms of detector time = 1 250 000 ticks of 4 ns.
    assertThat(maxLagTicks).isLessThanOrEqualTo(1_250_000);
    long triggered = 0;
    for (EventClass cls : EventClass.values()) {
      triggered += cls.isHpge() ? g.truth().triggered(0, cls) : g.truth().naiTriggered(0, cls);
    }
    assertThat(events).isEqualTo(triggered).isGreaterThan(100_000);
    BoardStatus last = s.get(s.size() - 1).st();
    assertThat(last.channels().get(0).acceptedTriggers() + last.channels().get(1).acceptedTriggers()).isEqualTo(events);
    // HPGe live + dead = real; dead = 10 µs per accepted HPGe trigger (generator default) = 2500 ticks each.
    ChannelCounters hpge = last.channels().get(0);
    assertThat(hpge.liveTimeTicks() + hpge.deadTimeTicks()).isEqualTo(last.realTimeTicks());
    assertThat(hpge.deadTimeTicks()).isBetween(2_500 * hpge.acceptedTriggers() - 2_500, 2_500 * hpge.acceptedTriggers());
  }

  @Test
  void losesTriggersWhenTheBufferIsFullAndFlagsTheNextEventWithTheCount() {
    // 1024 events in aggregates of 256: 4 slots.
    BoardBuffer buffer = new BoardBuffer(1024, 256, false);
    BoardModel m = board(config(SIM), buffer, 64);
    for (int i = 0; i < 1024 + 10; i++) {
      m.onEvent(1, i, 100, 0);
    }
    assertThat(buffer.allocatedSlots()).isEqualTo(4);
    assertThat(m.accepted(1)).isEqualTo(1024);
    assertThat(m.lost(1)).isEqualTo(10);
    List<Sent> first = drain(buffer);
    assertThat(first).hasSize(1024).allMatch(x -> x.flags() == 0);
    m.onEvent(1, 5000, 100, 0);
    m.onStatus(8000, false, new long[] {0, 0});
    List<Sent> next = drain(buffer);
    assertThat(next.get(0).flags()).isEqualTo(EventFlags.LOST_TRIGGERS_BEFORE);
    assertThat(next.get(0).lostBefore()).isEqualTo(10);
    assertThat(next.get(1).st().channels().get(1).lostTriggers()).isEqualTo(10);
    assertThat(next.get(1).st().channels().get(1).acceptedTriggers()).isEqualTo(1025);
    assertThat(buffer.allocatedSlots()).as("memory stays bounded").isEqualTo(4);
  }

  @Test
  void wrapsTimestampsAtTheCounterWidthAndFlagsTheFirstEventOfEachChannelAfterAWrap() {
    BoardBuffer buffer = new BoardBuffer(1 << 16, 64, false);
    // 10-bit counter of 4 ns ticks wraps every 1024 ticks = 4096 ns.
    BoardModel m = board(config(SIM), buffer, 10);
    m.onEvent(1, 1000, 100, 0);   // tick 250
    m.onEvent(1, 4100, 100, 0);   // tick 1025 → 1, after the first wrap
    m.onEvent(0, 4200, 10, 0);    // tick 1050 → 26, first HPGe event after the wrap
    m.onEvent(1, 5000, 100, 0);   // tick 1250 → 226, same period
    m.onStatus(9000, true, new long[] {0, 0}); // tick 2250 → 202, second period
    List<Sent> s = drain(buffer);
    // The STATUS flushes slot 0 (HPGe) first, then the NaI aggregate.
    assertThat(s).extracting(Sent::ticks).containsExactly(26L, 250L, 1L, 226L, 202L);
    assertThat(s).extracting(Sent::flags).containsExactly(EventFlags.TIMESTAMP_ROLLOVER, 0, EventFlags.TIMESTAMP_ROLLOVER, 0, 0);
    assertThat(s.get(4).st().realTimeTicks()).isEqualTo(2250);
    assertThat(m.wrapsUntil(9000)).isEqualTo(2);
  }
  @Test
  void keepsEveryReactorStateChangeWhenTheStatusQuotaIsFullSoTheDaemonBooksEachPeriodUnderItsState() {
    // No client: STATUS latches pile up at 1 s until the quota is full, then a 0.3-day OFF period
    // starts and ends. Every STATUS in that time but the two transitions is over the quota.
    BoardBuffer buffer = new BoardBuffer(1 << 16, 64, false);
    BoardModel m = board(config(SIM), buffer, 64);
    long second = 1_000_000_000L;
    long offStartNs = (BoardBuffer.STATUS_QUOTA + 100) * second + second / 2;
    long offNs = 25_920 * second; // 0.3 days
    long endNs = offStartNs + offNs + 50 * second;
    m.onStatus(0, true, new long[] {0, 0});
    for (long t = second; t < offStartNs; t += second) {
      m.onStatus(t, true, new long[] {0, 0});
    }
    for (long t = offStartNs; t < offStartNs + offNs; t += second) {
      m.onStatus(t, false, new long[] {0, 0});
    }
    for (long t = offStartNs + offNs; t <= endNs; t += second) {
      m.onStatus(t, true, new long[] {0, 0});
    }
    assertThat(m.statusDropped()).as("the quota was exceeded").isGreaterThan(25_000);

    // Book as the daemon does (EventPipeline.onStatusEnd): the time from one STATUS to the next
    // under the earlier one's reactor state; a tick is 4 ns.
    List<BoardStatus> st = drain(buffer).stream().filter(Sent::status).map(Sent::st).toList();
    long[] bookedTicks = new long[2];
    for (int i = 1; i < st.size(); i++) {
      bookedTicks[st.get(i - 1).reactorState()] += st.get(i).realTimeTicks() - st.get(i - 1).realTimeTicks();
    }
    // The quota, the two transitions and the latest STATUS (held, sent once the FIFO is empty).
    assertThat(st).hasSize(BoardBuffer.STATUS_QUOTA + 3);
    assertThat(st.get(st.size() - 3).realTimeTicks()).as("the OFF transition, at its time").isEqualTo(offStartNs / 4);
    assertThat(st.get(st.size() - 2).realTimeTicks()).as("the ON transition").isEqualTo((offStartNs + offNs) / 4);
    assertThat(st.get(st.size() - 1).realTimeTicks()).as("the latest STATUS").isEqualTo(endNs / 4);
    assertThat(bookedTicks[0]).as("OFF ticks booked").isEqualTo(offNs / 4);
    assertThat(bookedTicks[1]).as("ON ticks booked, to the latest STATUS").isEqualTo((endNs - offNs) / 4);
    // Afterwards (a client drained the buffer) STATUS frames of an unchanged state are queued again.
    m.onStatus(endNs + second, true, new long[] {0, 0});
    assertThat(drain(buffer)).hasSize(1);
  }
}
