package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.CompassStreamConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.FrameReader;
import org.nudaq.monitor.wire.FrameVisitor;
import org.nudaq.server.ingest.FrameQueue;
import org.nudaq.server.stress.SimulatorToDaemon;
import org.nudaq.sim.caen.CaenSimulation;
import org.nudaq.sim.caen.CompassStreamServer;
import org.nudaq.sim.server.Pacing;

/**
 * The real loop on 127.0.0.1: the simulator serves its events as CoMPASS's unframed TCP stream (with a
 * burst of garbage every 3000 records), the daemon's {@link CompassStreamLink} connects mid-run — at
 * whatever byte the stream is at — and its frames go into the daemon's {@link FrameQueue}. Every event
 * that comes out equals the simulator's record at that place in the stream, the first one is the
 * first whole record after the join, only records touched by garbage are missing, and every byte
 * received is counted as decoded or skipped.
 */
class CompassStreamLinkTest {
  private static final int WINDOW = 32;

  /** The simulator's ground truth: each record and garbage burst with its stream offset. */
  static final class Truth implements CompassStreamServer.Tap {
    final List<long[]> records = Collections.synchronizedList(new ArrayList<>());
    final List<long[]> garbage = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void record(long streamOffset, int board, int channel, long timestampPs, int energyAdc, int flags) {
      records.add(new long[] {streamOffset, board, channel, timestampPs, energyAdc, flags});
    }

    @Override
    public void garbage(long streamOffset, int length) {
      garbage.add(new long[] {streamOffset, length});
    }
  }

  /** Events of the frames taken from the queue: channel, ticks, energy, flags. */
  static final class Events implements FrameVisitor {
    final List<long[]> events = new ArrayList<>();
    int hellos;

    @Override
    public void onHello(int boardId, long sequence, BoardHello hello) {
      hellos++;
      assertThat(hello.tickLengthPs()).isEqualTo(4000);
    }

    @Override
    public void onEventsBegin(int boardId, long sequence, int eventCount) {}

    @Override
    public void onEventsEnd(int boardId, long sequence) {}

    @Override
    public void onEvent(long timestampTicks, int channel, int energyAdc, int flags, int lostTriggersBefore) {
      events.add(new long[] {channel, timestampTicks, energyAdc, flags});
    }

    @Override
    public void onStatus(int boardId, long sequence, long boardTimeTicks, long realTimeTicks, int reactorState, long reactorPowerPpm,
        int channelCount) {}

    @Override
    public void onChannelStatus(int channel, long liveTimeTicks, long deadTimeTicks, long acceptedTriggers, long lostTriggers) {}

    @Override
    public void onGoodbye(int boardId, long sequence, int reasonCode) {}
  }

  @Test
  void daemonJoiningMidRunDecodesEveryLaterRecordAsTheSimulatorSentIt() throws Exception {
    NudaqConfig base = SimulatorToDaemon.gemma1(5_000, 21);
    CompassStreamConfig served = new CompassStreamConfig("127.0.0.1", 1, true, false, true, WINDOW, 3600);
    NudaqConfig simConfig = base.withCompass(new CompassConfig(base.compass().channels(), served));
    Truth truth = new Truth();
    CompassStreamServer server = new CompassStreamServer(simConfig, new InetSocketAddress("127.0.0.1", 0),
        CompassStreamServer.DEFAULT_CHUNK_BYTES, 3_000, 5, truth);
    int port = server.boundAddress().getPort();
    NudaqConfig daemonConfig = base.withCompass(new CompassConfig(base.compass().channels(),
        new CompassStreamConfig("127.0.0.1", port, true, false, true, WINDOW, 3600)));
    CaenSimulation sim = new CaenSimulation(simConfig, server);
    // Runs until stopped, so that the link joins mid-run however slowly the machine goes.
    Thread generator = new Thread(() -> sim.run(Pacing.parse("4"), Double.POSITIVE_INFINITY), "sim");
    generator.start();

    FrameQueue queue = new FrameQueue(4096, 64L << 20);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Events out = new Events();
    FrameReader reader = new FrameReader();
    CompassStreamLink link = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (server.position() < 200_000 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // poll: mid-run, the stream has been going for a while
      }
      assertThat(server.position()).as("the simulator is streaming").isGreaterThanOrEqualTo(200_000);
      link = new CompassStreamLink(daemonConfig, group, queue);
      link.start();
      while (link.stats().records() < 15_000 && System.nanoTime() < deadline) {
        drain(queue, reader, out);
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
      }
      sim.stop(); // the end of the run: the simulator closes the stream
      while ((generator.isAlive() || link.stats().disconnects() == 0) && System.nanoTime() < deadline) {
        drain(queue, reader, out);
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
      }
      generator.join(TimeUnit.SECONDS.toMillis(30));
      drain(queue, reader, out);
    } finally {
      if (link != null) {
        link.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      server.close();
    }
    drain(queue, reader, out);

    long join = server.joinOffsets().get(0);
    int length = server.recordLength();
    CompassStreamStats stats = link.stats();
    assertThat(join).isGreaterThan(0);
    assertThat(stats.bytesReceived()).isEqualTo(server.position() - join);
    assertThat(stats.decodedBytes() + stats.skippedBytes() + stats.pendingBytes()).isEqualTo(stats.bytesReceived());
    assertThat(stats.pendingBytes()).isZero();
    assertThat(out.hellos).isEqualTo(1);

    // Walk the truth from the join: each event must be the next truth record, except truth records
    // touched by garbage (right after a burst), which may be missing.
    List<long[]> records = new ArrayList<>(truth.records);
    List<long[]> bursts = new ArrayList<>(truth.garbage);
    int j = 0;
    while (records.get(j)[0] < join) {
      j++;
    }
    long firstWhole = records.get(j)[0];
    int missed = 0;
    boolean first = true;
    for (long[] e : out.events) {
      while (!matches(records.get(j), e)) {
        long at = records.get(j)[0];
        assertThat(afterBurst(bursts, at, 3L * length) || isFake(records.get(j)))
            .as("truth record at stream offset %d missing, not near garbage", at).isTrue();
        missed += isFake(records.get(j)) ? 0 : 1;
        j++;
      }
      if (first) {
        assertThat(records.get(j)[0]).as("first event is the first whole record after the join").isEqualTo(firstWhole);
        first = false;
      }
      j++;
    }
    long burstsAfterJoin = bursts.stream().filter(g -> g[0] > join).count();
    assertThat(burstsAfterJoin).isGreaterThanOrEqualTo(3);
    assertThat(stats.lockLosses()).isGreaterThanOrEqualTo(burstsAfterJoin * 9 / 10).isLessThanOrEqualTo(burstsAfterJoin);
    assertThat(missed).isLessThanOrEqualTo(3 * (int) burstsAfterJoin);
    assertThat(records.size() - j).as("truth records after the last decoded event").isZero();
    assertThat(out.events.size()).isGreaterThan(10_000);
    // The bursts fall between records: the decoder skips exactly them and the cut record at the join.
    long garbageBytes = bursts.stream().filter(g -> g[0] > join).mapToLong(g -> g[1]).sum();
    assertThat(stats.skippedBytes()).isEqualTo(firstWhole - join + garbageBytes);
    assertThat(missed).isZero();
  }

  private static boolean isFake(long[] r) {
    return (r[5] & CompassDescriptor.FAKE_MASK) != 0;
  }

  private static boolean matches(long[] truth, long[] event) {
    return !isFake(truth) && truth[2] == event[0] && truth[3] / 4000 == event[1] && truth[4] == event[2]
        && CompassEventFlags.of((int) truth[5]) == event[3];
  }

  private static boolean afterBurst(List<long[]> bursts, long offset, long within) {
    for (long[] g : bursts) {
      if (g[0] <= offset + within && offset < g[0] + g[1] + within) {
        return true;
      }
    }
    return false;
  }

  private static void drain(FrameQueue queue, FrameReader reader, Events out) {
    FrameQueue.Slot s;
    while ((s = queue.poll()) != null) {
      if (s.linkState() == 0) {
        reader.decode(ByteBuffer.wrap(s.data(), 0, s.length()), 0, s.length(), out);
      }
      queue.release(s);
    }
  }
}
