package org.nudaq.sim.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.WireError;
import org.nudaq.sim.OneBoardProfile;
import org.nudaq.sim.board.BoardModel;

/** The simulator over real TCP on 127.0.0.1, read by a plain-socket client with the monitor's FrameReader. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulationTcpTest {
  private static final long S = 1_000_000_000L;
  private static final int HPGE = 0;
  private static final int NAI = 3;
  private Simulation sim;

  /** Board 5 of the {@link OneBoardProfile}, a day ON, busy NaI and Compton rates, 64-event aggregates. */
  private static NudaqConfig config(String extraSimulator) {
    return OneBoardProfile.parse("tcp-test.yaml", 5, OneBoardProfile.busyDay(3) + extraSimulator);
  }

  private Simulation simulation(NudaqConfig c, Pacing pacing, FaultSpec faults) {
    sim = new Simulation(c, new Simulation.Settings(pacing, faults, 1, List.of(new InetSocketAddress("127.0.0.1", 0)), "tcp-test.yaml"));
    sim.bind();
    return sim;
  }

  @AfterEach
  void close() {
    if (sim != null) {
      sim.close();
    }
  }

  private InetSocketAddress address() {
    return sim.boundAddress(0);
  }

  private static long accepted(BoardModel b, int channel) {
    return b.accepted(b.slotOf(channel));
  }

  /** Netty's event-loop threads alive now (the boards' acceptor and I/O threads are named so). */
  private static long nettyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("multiThreadIoEventLoopGroup")).count();
  }

  @Test
  @Timeout(60)
  void aPortInUseFailsTheStartNamingTheBoardAndLeavesNoThreadRunning() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      long before = nettyThreads();
      InetSocketAddress at = new InetSocketAddress("127.0.0.1", busy.getLocalPort());
      Simulation s = new Simulation(config(""), new Simulation.Settings(Pacing.max(), FaultSpec.parse(""), 1, List.of(at),
          "tcp-test.yaml"));
      assertThatThrownBy(s::bind).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("board 5").hasMessageContaining(":" + busy.getLocalPort());
      // Before the fix the acceptor thread stayed (only IllegalStateException closed the ports' threads).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (nettyThreads() > before && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(nettyThreads()).as("Netty threads after the failed start").isLessThanOrEqualTo(before);
    }
  }

  @Test
  void clientGetsHelloThenEveryAcceptedEventInSequenceThenGoodbye() throws Exception {
    simulation(config(""), Pacing.max(), FaultSpec.NONE);
    sim.generateUntil(20 * S);
    sim.endRun();
    TestClient c = new TestClient();
    c.readConnection(address(), Long.MAX_VALUE);
    BoardModel b = sim.digitizer().board(0);
    assertThat(c.errors).isEmpty();
    assertThat(c.goodbye).isTrue();
    assertThat(c.helloSequences).containsExactly(0L);
    assertThat(c.hello.isSimulator()).isTrue();
    assertThat(c.hello.tickLengthPs()).isEqualTo(4000);
    assertThat(c.hello.channelCount()).isEqualTo(4);
    assertThat(c.sequenceGaps).isZero();
    assertThat(c.duplicateSequences).isZero();
    assertThat(c.lastSequence + 1).isEqualTo(sim.links().get(0).nextSequence());
    // Events received = the board's accepted triggers = the last STATUS's accepted counter.
    for (int ch : new int[] {HPGE, NAI}) {
      assertThat(c.events(ch)).isEqualTo(accepted(b, ch)).isEqualTo(c.lastStatusByChannel.get(ch)[2]);
      assertThat(c.lastStatusByChannel.get(ch)[3]).isZero();
    }
    assertThat(c.events(NAI)).isGreaterThan(30_000);
    assertThat(c.statusFrames).as("one at start plus one per second").isEqualTo(21);
    assertThat(c.lastStatusBoardTime).isEqualTo(20 * S / 4);
    assertThat(c.lastReactorState).isEqualTo(FrameDescriptor.REACTOR_ON);
    Map<String, Object> truth = sim.truthSummary();
    @SuppressWarnings("unchecked")
    Map<String, Object> ch3 = ((List<Map<String, Object>>) ((List<Map<String, Object>>) truth.get("boards")).get(0).get("channels")).get(1);
    assertThat(ch3).containsEntry("sentEvents", c.events(NAI)).containsEntry("lostTriggers", 0L).containsEntry("unsentEvents", 0L);
  }

  @Test
  void aClientOfTheFinishedBoardGetsHelloAndGoodbyeNumberedAfterTheRunsGoodbye() throws Exception {
    simulation(config(""), Pacing.max(), FaultSpec.NONE);
    sim.generateUntil(2 * S);
    sim.endRun();
    BoardLink link = sim.links().get(0);
    assertThat(link.framesNumberedThroughGoodbye()).as("before the run's GOODBYE").isEqualTo(-1);
    TestClient run = new TestClient();
    run.readConnection(address(), Long.MAX_VALUE);
    assertThat(run.goodbye).isTrue();
    long throughGoodbye = run.lastSequence + 1;
    assertThat(link.framesNumberedThroughGoodbye()).isEqualTo(throughGoodbye);
    // A reconnect to the finished board (as a daemon's link makes until it stops): HELLO and GOODBYE, numbered on.
    TestClient late = new TestClient();
    long deadline = retryDeadline();
    while (!late.goodbye && System.nanoTime() < deadline) {
      late.readConnection(address(), Long.MAX_VALUE); // refused until the board has seen the run's connection close
    }
    assertThat(late.goodbye).isTrue();
    assertThat(late.helloSequences).containsExactly(throughGoodbye);
    assertThat(late.lastSequence).isEqualTo(throughGoodbye + 1);
    assertThat(late.frames).as("HELLO and GOODBYE").isEqualTo(2);
    assertThat(link.nextSequence()).isEqualTo(throughGoodbye + 2);
    assertThat(link.framesNumberedThroughGoodbye()).as("still the run's").isEqualTo(throughGoodbye);
  }

  @Test
  void reconnectContinuesTheSequenceAndASecondClientIsRefused() throws Exception {
    simulation(config(""), Pacing.max(), FaultSpec.NONE);
    sim.generateUntil(5 * S);
    TestClient first = new TestClient();
    first.readConnection(address(), 6); // HELLO + 5 frames, then hang up
    long lastSeqFirst = first.lastSequence;
    TestClient second = new TestClient();
    // The board already wrote its whole buffer to the first connection: the holder's HELLO must
    // come at once even though no frame follows it.
    Socket holder = new Socket();
    holder.connect(address());
    holder.setSoTimeout(10_000);
    long deadline = retryDeadline();
    while (holder.getInputStream().read() != 0x4E && System.nanoTime() < deadline) {
      // refused because the board has not yet seen the first client hang up: try again
      holder.close();
      holder = new Socket();
      holder.connect(address());
      holder.setSoTimeout(10_000);
    }
    try (Socket h = holder) {
      // While one client is connected a second one is closed before any byte.
      try (Socket refused = new Socket()) {
        refused.connect(address());
        refused.setSoTimeout(10_000);
        assertThat(refused.getInputStream().read()).isEqualTo(-1);
      }
    }
    sim.endRun(); // only now: before, the holder would have been sent GOODBYE and closed
    second.readConnection(address(), Long.MAX_VALUE);
    deadline = retryDeadline();
    while (!second.goodbye && System.nanoTime() < deadline) {
      second.readConnection(address(), Long.MAX_VALUE); // the holder's close may not be seen yet
    }
    assertThat(second.errors).isEmpty();
    assertThat(second.goodbye).isTrue();
    long helloSeq = second.helloSequences.get(second.helloSequences.size() - 1);
    assertThat(helloSeq).as("no restart at 0: the board's sequence continues").isGreaterThan(lastSeqFirst);
    assertThat(second.sequenceGaps).isZero();
    assertThat(sim.links().get(0).counters().rejectedClients()).isGreaterThanOrEqualTo(1);
    assertThat(sim.links().get(0).counters().connections()).isEqualTo(3 + second.helloSequences.size() - 1);
    // Nothing stays in the board: events the first clients never read were lost in flight, as the sequence jump says.
    BoardModel b = sim.digitizer().board(0);
    long sent = sim.links().get(0).counters().sentEvents(NAI);
    assertThat(sent).isEqualTo(accepted(b, NAI));
    assertThat(first.events(NAI) + second.events(NAI)).isLessThanOrEqualTo(sent);
  }

  @Test
  void losesTriggersWhenNobodyReadsCountsThemAndFlagsTheNextEvent() throws Exception {
    // 1024 events in aggregates of 64: 16 slots; 2000 NaI triggers a second overflow it at once.
    simulation(config("bufferEvents: 1024"), new Pacing(1), FaultSpec.NONE);
    sim.generateUntil(5 * S);
    BoardModel b = sim.digitizer().board(0);
    long lostNaiPhase1 = b.lost(b.slotOf(NAI));
    assertThat(lostNaiPhase1).isGreaterThan(5_000);
    assertThat(b.buffer().allocatedSlots()).as("memory stays bounded").isEqualTo(16);
    int queued = b.buffer().queuedFrames();
    TestClient c = new TestClient();
    c.readConnection(address(), 1 + queued);
    // Frames generated before the board sees the hang-up would go to the dead connection: wait for it.
    while (sim.links().get(0).connected()) {
      Thread.onSpinWait();
    }
    // Room again: 20 ms more is ~40 NaI triggers in ~4 aggregates (sent after 5 ms each), far fewer
    // than the 16 slots.
    sim.generateUntil(5 * S + S / 50);
    sim.endRun();
    long deadline = retryDeadline();
    while (!c.goodbye && System.nanoTime() < deadline) {
      c.readConnection(address(), Long.MAX_VALUE);
    }
    assertThat(c.errors).isEmpty();
    assertThat(b.lost(b.slotOf(NAI))).isEqualTo(lostNaiPhase1);
    assertThat(c.lostFlaggedByChannel.get(NAI)).as("the next NaI event says how many were lost").isEqualTo(lostNaiPhase1);
    for (int ch : new int[] {HPGE, NAI}) {
      assertThat(c.events(ch)).isEqualTo(accepted(b, ch)).isEqualTo(c.lastStatusByChannel.get(ch)[2]);
      assertThat(c.lastStatusByChannel.get(ch)[3]).isEqualTo(b.lost(b.slotOf(ch)));
    }
    // Ground truth: every generated trigger is either received or lost in the buffer.
    long generated = 0;
    for (org.nudaq.sim.generator.EventClass cls : org.nudaq.sim.generator.EventClass.values()) {
      generated += cls.isHpge() ? 0 : sim.generator().truth().naiTriggered(0, cls);
    }
    assertThat(c.events(NAI) + b.lost(b.slotOf(NAI))).isEqualTo(generated);
  }

  /** Reads until GOODBYE, reconnecting after every fault, as the daemon does. */
  private TestClient readAllWithReconnects() throws Exception {
    TestClient c = new TestClient();
    long deadline = retryDeadline();
    while (!c.goodbye && System.nanoTime() < deadline) {
      c.readConnection(address(), Long.MAX_VALUE);
    }
    assertThat(c.goodbye).isTrue();
    return c;
  }

  /**
   * Until when to retry a connection the board refuses because it has not yet seen the last client hang
   * up: a deadline, not a count (a refusal takes well under a millisecond, and on a loaded machine the
   * board's thread may take longer than a thousand of them to notice).
   */
  private static long retryDeadline() {
    return System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
  }

  @Test
  void framingFaultsAreEachSeenByTheReaderAndCountedInTheGroundTruth() throws Exception {
    simulation(config(""), Pacing.max(), FaultSpec.parse("corrupt=0.01,truncate=0.01,garbage=0.01"));
    sim.generateUntil(20 * S);
    sim.endRun();
    TestClient c = readAllWithReconnects();
    LinkCounters t = sim.links().get(0).counters();
    assertThat(t.corruptFrames()).isPositive();
    assertThat(t.truncatedFrames()).isPositive();
    assertThat(t.garbageInsertions()).isPositive();
    assertThat(c.errors.stream().filter(e -> e == WireError.CRC_MISMATCH).count()).isEqualTo(t.corruptFrames());
    assertThat(c.errors.stream().filter(e -> e == WireError.TRUNCATED).count()).isEqualTo(t.truncatedFrames());
    assertThat(c.errors.stream().filter(e -> e == WireError.BAD_MAGIC).count()).isEqualTo(t.garbageInsertions());
    BoardModel b = sim.digitizer().board(0);
    for (int ch : new int[] {HPGE, NAI}) {
      assertThat(c.events(ch)).isEqualTo(t.sentEvents(ch));
      assertThat(t.sentEvents(ch) + t.damagedEvents(ch)).isEqualTo(accepted(b, ch));
    }
  }

  @Test
  void sequenceFaultsDisconnectsAndAStallAreSeenAndCounted() throws Exception {
    simulation(config(""), Pacing.max(), FaultSpec.parse("skip-seq=0.02,dup-seq=0.02,disconnect-every=40frames,stall=50ms@0s"));
    sim.generateUntil(20 * S);
    sim.endRun();
    TestClient c = readAllWithReconnects();
    LinkCounters t = sim.links().get(0).counters();
    assertThat(c.errors).isEmpty();
    assertThat(t.skippedSequences()).isPositive();
    assertThat(t.duplicatedSequences()).isPositive();
    assertThat(c.sequenceGaps).isEqualTo(t.skippedSequences());
    assertThat(c.duplicateSequences).isEqualTo(t.duplicatedSequences());
    assertThat(t.disconnects()).isPositive();
    assertThat(c.connectionsEndedWithoutGoodbye).isEqualTo(t.disconnects());
    assertThat(c.refusedConnections).isEqualTo(t.rejectedClients());
    assertThat(t.stalls()).isEqualTo(1);
    BoardModel b = sim.digitizer().board(0);
    assertThat(c.events(NAI)).isEqualTo(accepted(b, NAI));
    assertThat(c.events(HPGE)).isEqualTo(accepted(b, HPGE));
  }

  @Test
  void timestampRolloverAndBurstFaultsAreSeenAndCounted() throws Exception {
    // 32-bit counter of 4 ns ticks wraps every 2^32 · 4 ns = 17.18 s: three wraps in 60 s.
    simulation(config(""), Pacing.max(), FaultSpec.parse("rollover=32,burst=10x@20s+10s"));
    sim.generateUntil(60 * S);
    sim.endRun();
    TestClient c = readAllWithReconnects();
    assertThat(c.rolloverFlagsByChannel.get(NAI)).isEqualTo(3);
    Map<String, Object> truth = sim.truthSummary();
    @SuppressWarnings("unchecked")
    Map<String, Object> board = ((List<Map<String, Object>>) truth.get("boards")).get(0);
    assertThat(board).containsEntry("timestampWraps", 3L);
    assertThat(truth.get("bursts").toString()).contains("count=1");
    // NaI: (2000 singles + 5 muons + 2.27 Compton partners (2000/(keV·kg·day) · 98 keV / 86400)) Hz
    // over 50 s at ×1 and 10 s at ×10 = 150 s-equivalents → 301 090 expected.
    assertThat((double) c.events(NAI)).isCloseTo(301_090, within(5 * Math.sqrt(301_090)));
    assertThat(sim.generator().truth().summary()).isNotNull();
    sim.awaitGoodbyes(1, TimeUnit.SECONDS);
  }
}
