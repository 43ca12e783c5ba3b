package org.nudaq.server.x27xx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.EventFlags;
import org.nudaq.server.stress.SimulatorToDaemon;
import org.nudaq.sim.caen.CaenSimulation;
import org.nudaq.sim.caen.CaenSink;
import org.nudaq.sim.caen.X27xxRawWriter;
import org.nudaq.sim.server.Pacing;

/**
 * The simulator writes x27xx raw files from its physics; the decoder reads them back: every hit is the
 * board event the simulator wrote (channel, time to the picosecond, energy, pile-up and saturation), in
 * order, and the statistics events give each channel's dead time and trigger counts as the board's
 * STATUS had them.
 */
class X27xxSimulatorRoundTripTest {

  /** Writes through to the raw writer and keeps the truth. */
  static final class Tee implements CaenSink {
    final CaenSink inner;
    final List<long[]> events = new ArrayList<>();
    final List<BoardStatus> statuses = new ArrayList<>();

    Tee(CaenSink inner) {
      this.inner = inner;
    }

    @Override
    public void onEvent(BoardConfig board, int channel, long timestampTicks, int energyAdc, int flags) {
      events.add(new long[] {channel, timestampTicks, energyAdc, flags});
      inner.onEvent(board, channel, timestampTicks, energyAdc, flags);
    }

    @Override
    public void onStatus(BoardConfig board, BoardStatus status) {
      statuses.add(status);
      inner.onStatus(board, status);
    }

    @Override
    public void flush() {
      inner.flush();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void simulatorRawOutputRoundTripsThroughTheDecoder(@TempDir Path dir) throws Exception {
    NudaqConfig config = SimulatorToDaemon.gemma1(3_000, 4);
    Tee tee = new Tee(new X27xxRawWriter(config, dir));
    CaenSimulation sim = new CaenSimulation(config, tee);
    sim.run(Pacing.max(), 30.0 / 86_400);

    Recorded r = new Recorded();
    X27xxRawFile.Result result = X27xxRawFile.read(dir.resolve(X27xxRawWriter.fileName(0)), r);
    assertThat(r.errors).isEmpty();
    assertThat(result.decoder().skippedBytes()).isZero();
    assertThat(tee.events.size()).isGreaterThan(50_000);
    assertThat(r.hits).hasSize(tee.events.size());
    long tickPs = Math.round(config.digitizer().boards().get(0).tickNs() * 1000);
    for (int i = 0; i < r.hits.size(); i++) {
      long[] h = r.hits.get(i);
      long[] t = tee.events.get(i);
      assertThat(h[0]).isEqualTo(t[0]);
      assertThat(X27xxDescriptor.picoseconds(h[1], (int) h[2])).isEqualTo(t[1] * tickPs);
      assertThat(h[3]).isEqualTo(t[2]);
      assertThat((h[6] & 0x01) != 0).isEqualTo((t[3] & EventFlags.PILEUP) != 0);
      assertThat((h[6] & 0x04) != 0).isEqualTo((t[3] & EventFlags.SATURATION) != 0);
    }
    BoardStatus last = tee.statuses.get(tee.statuses.size() - 1);
    int statisticsEvents = tee.statuses.stream().mapToInt(s -> s.channels().size()).sum();
    assertThat(r.stats).hasSize(statisticsEvents);
    for (ChannelCounters c : last.channels()) {
      int ch = c.channel();
      assertThat(r.channelStatistics.deadTimeSeconds(ch)).isCloseTo(c.deadTimeTicks() * tickPs * 1e-12,
          org.assertj.core.data.Offset.offset(8e-9));
      assertThat(r.channelStatistics.triggers(ch)).isEqualTo(c.acceptedTriggers() + c.lostTriggers());
      assertThat(r.channelStatistics.savedEvents(ch)).isEqualTo(c.acceptedTriggers());
    }
    assertThat(r.items.get(0)).isEqualTo("start mask=0x3");
    assertThat(r.items.get(r.items.size() - 1)).startsWith("stop ts=" + last.boardTimeTicks() * tickPs / 8000 + " ");
  }
}
